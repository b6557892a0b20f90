package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sentrakreasi/atensi/domain"
)

// ObjectConfig says where the object store is.
type ObjectConfig struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	UseSSL    bool
}

// Objects is the object store (MinIO or any S3) holding photos and proofs,
// all in one private bucket.
type Objects struct {
	client *minio.Client
	bucket string
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string
	Size         int64
	ContentType  string
	ETag         string
	LastModified time.Time
}

// OpenObjects connects to the object store and creates the bucket when it is missing.
func OpenObjects(ctx context.Context, cfg ObjectConfig) (*Objects, error) {
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseSSL,
	})
	if err != nil {
		return nil, fmt.Errorf("object store client: %w", err)
	}
	o := &Objects{client: client, bucket: cfg.Bucket}
	if err := o.ensureBucket(ctx); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *Objects) ensureBucket(ctx context.Context) error {
	exists, err := o.client.BucketExists(ctx, o.bucket)
	if err != nil {
		return fmt.Errorf("object store at %s: %w", o.client.EndpointURL().Host, err)
	}
	if exists {
		return nil
	}
	if err := o.client.MakeBucket(ctx, o.bucket, minio.MakeBucketOptions{}); err != nil {
		// Another instance may have created it between our check and now.
		if resp := minio.ToErrorResponse(err); resp.Code == "BucketAlreadyOwnedByYou" {
			return nil
		}
		return fmt.Errorf("create bucket %s: %w", o.bucket, err)
	}
	return nil
}

// Ping tells whether the object store answers and the bucket is there.
func (o *Objects) Ping(ctx context.Context) error {
	ok, err := o.client.BucketExists(ctx, o.bucket)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s is missing", o.bucket)
	}
	return nil
}

// Put stores an object; size -1 means unknown (the client then streams in parts).
func (o *Objects) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (ObjectInfo, error) {
	info, err := o.client.PutObject(ctx, o.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("put object %s: %w", key, err)
	}
	return ObjectInfo{Key: key, Size: info.Size, ContentType: contentType, ETag: info.ETag, LastModified: info.LastModified}, nil
}

// Get opens an object for streaming; the caller closes the reader. A missing
// object is domain.ErrNotFound.
func (o *Objects) Get(ctx context.Context, key string) (io.ReadCloser, ObjectInfo, error) {
	obj, err := o.client.GetObject(ctx, o.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, ObjectInfo{}, o.wrap("get", key, err)
	}
	// GetObject is lazy: Stat makes the request, so a missing key fails here.
	st, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, ObjectInfo{}, o.wrap("get", key, err)
	}
	return obj, toInfo(st), nil
}

// Stat describes an object without reading it.
func (o *Objects) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	st, err := o.client.StatObject(ctx, o.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return ObjectInfo{}, o.wrap("stat", key, err)
	}
	return toInfo(st), nil
}

// Delete removes an object; deleting a missing object is not an error.
func (o *Objects) Delete(ctx context.Context, key string) error {
	if err := o.client.RemoveObject(ctx, o.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return o.wrap("delete", key, err)
	}
	return nil
}

func (o *Objects) wrap(op, key string, err error) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && (resp.Code == "NoSuchKey" || resp.StatusCode == 404) {
		return fmt.Errorf("%s object %s: %w", op, key, domain.ErrNotFound)
	}
	return fmt.Errorf("%s object %s: %w", op, key, err)
}

func toInfo(st minio.ObjectInfo) ObjectInfo {
	return ObjectInfo{Key: st.Key, Size: st.Size, ContentType: st.ContentType, ETag: st.ETag, LastModified: st.LastModified}
}

// PresignGet makes a link that lets whoever holds it read one private
// object until ttl passes, without credentials of their own.
func (o *Objects) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	u, err := o.client.PresignedGetObject(ctx, o.bucket, key, ttl, nil)
	if err != nil {
		return "", o.wrap("presign", key, err)
	}
	return u.String(), nil
}
