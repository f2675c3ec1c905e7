// Command etcd is etcd's own server (etcdmain), built from the Go module proxy like the rest of the control plane.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
