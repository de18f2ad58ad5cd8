// Anchor for bench/etcd.bench.ts: Go's clientv3 (etcd's own client, built from Debian's
// golang-etcd-server-dev sources in GOPATH mode) doing the bench's concurrent phases against the
// same etcd over the same mTLS: 20,000 puts with 64 in flight, then 20,000 gets. Prints one JSON
// line: puts/s, gets/s, CPU per call (user+system of the whole process, from getrusage) and peak RSS.
//
//	etcd-bench <endpoint> <cert dir>
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
)

const (
	concN = 20000
	conc  = 64
)

func cpuUs() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e3
}

func maxRSSMiB() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024 // KiB on Linux
}

func concurrent(n, c int, fn func(i int) error) {
	var next int64 = -1
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg.Wait()
}

func main() {
	endpoint, dir := os.Args[1], os.Args[2]
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			panic(err)
		}
		return b
	}
	pair, err := tls.X509KeyPair(read("client.crt"), read("client.key"))
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(read("ca.crt"))
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{endpoint},
		DialTimeout: 5 * time.Second,
		TLS:         &tls.Config{Certificates: []tls.Certificate{pair}, RootCAs: pool, ServerName: "localhost"},
	})
	if err != nil {
		panic(err)
	}
	defer cli.Close()
	ctx := context.Background()
	value := strings.Repeat("x", 256)
	tag := fmt.Sprintf("go-%d", os.Getpid())
	concurrent(500, 16, func(i int) error {
		_, err := cli.Put(ctx, fmt.Sprintf("%s/warm/%d", tag, i), value)
		return err
	})
	c0, t0 := cpuUs(), time.Now()
	concurrent(concN, conc, func(i int) error {
		_, err := cli.Put(ctx, fmt.Sprintf("%s/c/%d", tag, i%5000), value)
		return err
	})
	putSecs := time.Since(t0).Seconds()
	putCPU := (cpuUs() - c0) / concN
	c1, t1 := cpuUs(), time.Now()
	concurrent(concN, conc, func(i int) error {
		_, err := cli.Get(ctx, fmt.Sprintf("%s/c/%d", tag, i%5000))
		return err
	})
	getSecs := time.Since(t1).Seconds()
	getCPU := (cpuUs() - c1) / concN
	out, _ := json.Marshal(map[string]float64{
		"putsPerSec": concN / putSecs,
		"getsPerSec": concN / getSecs,
		"putCpuUs":   putCPU,
		"getCpuUs":   getCPU,
		"rssMiB":     maxRSSMiB(),
	})
	fmt.Println(string(out))
}
