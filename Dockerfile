# Build stage: one static binary. The migrations and the common-password list
# are embedded in it, so the binary is all the runtime image needs.
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Dependencies first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/atensi .

# Runtime stage: no shell and no package manager; CA certificates and time
# zone data are included. Runs as the unprivileged user nonroot (uid 65532).
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/atensi /atensi
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/atensi"]
CMD ["serve"]
