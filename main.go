// Command atensi is the Sentra Kreasi ATENSI marketplace: one binary that
// serves the web pages and API, runs background jobs and loads data.
package main

import (
	"os"

	"github.com/sentrakreasi/atensi/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:]))
}
