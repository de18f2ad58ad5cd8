// Anchor for bench/pki.bench.ts: generates the same K3s server PKI as ensureServerCertificates (5 P-256 CAs,
// 13 leaves, 4 legacy keys, RSA-2048 service.key + service.current.key, 2 nochain copies, 6 kubeconfigs) with
// the same write discipline (temp file, fsync, rename, directory fsync; keys 0600 in 0700 dirs), the way K3s
// does the work: sequentially, stdlib only. Prints one JSON line of per-run milliseconds.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

var noWrite, noRSA bool

func writeAtomic(path string, data []byte, mode os.FileMode) {
	if noWrite {
		return
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		panic(err)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d.tmp", filepath.Base(path), time.Now().UnixNano()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		panic(err)
	}
	if _, err := f.Write(data); err != nil {
		panic(err)
	}
	_ = f.Chmod(mode)
	if err := f.Sync(); err != nil {
		panic(err)
	}
	f.Close()
	if err := os.Rename(tmp, path); err != nil {
		panic(err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

type ca struct {
	cert *x509.Certificate
	key  crypto.Signer
	pem  []byte
}

func ecKey() (*ecdsa.PrivateKey, []byte) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	der, _ := x509.MarshalECPrivateKey(k)
	return k, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

func newCA(cn string, now time.Time) (*ca, []byte) {
	k, keyPem := ecKey()
	nb := now.Add(-time.Hour).UTC()
	tmpl := x509.Certificate{
		SerialNumber:          big.NewInt(0),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             nb,
		NotAfter:              nb.Add(time.Hour * 24 * 365 * 10),
		KeyUsage:              x509.KeyUsageKeyEncipherment | x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, k.Public(), k)
	if err != nil {
		panic(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &ca{cert: c, key: k, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, keyPem
}

func leaf(parent *ca, cn string, org []string, usages []x509.ExtKeyUsage, sans []string, now time.Time) ([]byte, []byte) {
	k, keyPem := ecKey()
	serial, _ := rand.Int(rand.Reader, new(big.Int).SetInt64(math.MaxInt64-1))
	nb := now.Add(-time.Hour).UTC()
	if nb.Before(parent.cert.NotBefore) {
		nb = parent.cert.NotBefore
	}
	tmpl := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: org},
		NotBefore:    nb,
		NotAfter:     nb.Add(time.Hour * 24 * 365),
		KeyUsage:     x509.KeyUsageKeyEncipherment | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  usages,
	}
	for _, s := range sans {
		if ip := net.ParseIP(s); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, s)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, parent.cert, k.Public(), parent.key)
	if err != nil {
		panic(err)
	}
	out := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), parent.pem...)
	return out, keyPem
}

func kubeconfig(tls, cert, key string) []byte {
	return []byte(fmt.Sprintf("apiVersion: v1\nclusters:\n- cluster:\n    server: \"https://127.0.0.1:6443\"\n    certificate-authority: %q\n  name: local\ncontexts:\n- context:\n    cluster: local\n    namespace: default\n    user: user\n  name: Default\ncurrent-context: Default\nkind: Config\npreferences: {}\nusers:\n- name: user\n  user:\n    client-certificate: %q\n    client-key: %q\n",
		filepath.Join(tls, "server-ca.crt"), filepath.Join(tls, cert), filepath.Join(tls, key)))
}

func generate(dataDir string) {
	now := time.Now()
	tls := filepath.Join(dataDir, "server", "tls")
	cred := filepath.Join(dataDir, "server", "cred")
	for _, d := range []string{tls, filepath.Join(tls, "etcd"), filepath.Join(tls, "kube-scheduler"), filepath.Join(tls, "kube-controller-manager"), filepath.Join(tls, "temporary-certs"), cred} {
		if noWrite {
			break
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			panic(err)
		}
	}
	ts := now.Unix()
	cas := map[string]*ca{}
	for _, c := range []struct{ name, file, prefix string }{
		{"client", "client-ca", "k3s-client"}, {"server", "server-ca", "k3s-server"}, {"request-header", "request-header-ca", "k3s-request-header"},
		{"etcd-server", "etcd/server-ca", "etcd-server"}, {"etcd-peer", "etcd/peer-ca", "etcd-peer"},
	} {
		a, keyPem := newCA(fmt.Sprintf("%s-ca@%d", c.prefix, ts), now)
		writeAtomic(filepath.Join(tls, c.file+".key"), keyPem, 0o600)
		writeAtomic(filepath.Join(tls, c.file+".crt"), a.pem, 0o644)
		cas[c.name] = a
	}
	writeAtomic(filepath.Join(tls, "client-ca.nochain.crt"), cas["client"].pem, 0o644)
	writeAtomic(filepath.Join(tls, "server-ca.nochain.crt"), cas["server"].pem, 0o644)
	sans := []string{"k3s.example.com", "127.0.0.1", "::1", "localhost", "node-1", "10.0.0.5", "10.43.0.1"}
	client := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	server := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	both := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	local := []string{"localhost", "127.0.0.1", "::1"}
	type spec struct {
		file, ca, cn string
		org          []string
		usage        []x509.ExtKeyUsage
		sans         []string
		kc           string
	}
	specs := []spec{
		{"client-admin", "client", "system:admin", []string{"system:masters"}, client, nil, "admin"},
		{"client-supervisor", "client", "system:k3s-supervisor", []string{"system:masters"}, client, nil, "supervisor"},
		{"client-controller", "client", "system:kube-controller-manager", nil, client, nil, "controller"},
		{"client-scheduler", "client", "system:kube-scheduler", nil, client, nil, "scheduler"},
		{"client-kube-apiserver", "client", "system:apiserver", []string{"system:masters"}, client, nil, "api-server"},
		{"client-k3s-cloud-controller", "client", "k3s-cloud-controller-manager", nil, client, nil, "cloud-controller"},
		{"serving-kube-apiserver", "server", "kube-apiserver", nil, server, append([]string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}, sans...), ""},
		{"kube-scheduler/kube-scheduler", "server", "kube-scheduler", nil, server, local, ""},
		{"kube-controller-manager/kube-controller-manager", "server", "kube-controller-manager", nil, server, local, ""},
		{"client-auth-proxy", "request-header", "system:auth-proxy", nil, client, nil, ""},
		{"etcd/client", "etcd-server", "etcd-client", nil, client, nil, ""},
		{"etcd/peer-server-client", "etcd-peer", "etcd-peer", nil, both, append([]string{"kine.sock"}, sans...), ""},
		{"etcd/server-client", "etcd-server", "etcd-server", nil, both, append([]string{"kine.sock"}, sans...), ""},
	}
	for _, s := range specs {
		certPem, keyPem := leaf(cas[s.ca], s.cn, s.org, s.usage, s.sans, now)
		writeAtomic(filepath.Join(tls, s.file+".key"), keyPem, 0o600)
		writeAtomic(filepath.Join(tls, s.file+".crt"), certPem, 0o644)
		if s.kc != "" {
			writeAtomic(filepath.Join(cred, s.kc+".kubeconfig"), kubeconfig(tls, s.file+".crt", s.file+".key"), 0o600)
		}
	}
	for _, k := range []string{"client-kube-proxy", "client-k3s-controller", "client-kubelet", "serving-kubelet"} {
		_, keyPem := ecKey()
		writeAtomic(filepath.Join(tls, k+".key"), keyPem, 0o600)
	}
	if noRSA {
		return
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	rsaPem := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)})
	writeAtomic(filepath.Join(tls, "service.key"), rsaPem, 0o600)
	writeAtomic(filepath.Join(tls, "service.current.key"), rsaPem, 0o600)
}

func main() {
	n := flag.Int("n", 10, "runs")
	base := flag.String("dir", os.TempDir(), "scratch dir")
	flag.BoolVar(&noWrite, "nowrite", false, "generate in memory only")
	flag.BoolVar(&noRSA, "norsa", false, "skip the RSA service key (ECDSA work only)")
	flag.Parse()
	times := make([]float64, 0, *n)
	for i := 0; i < *n; i++ {
		d, err := os.MkdirTemp(*base, "go-pki-")
		if err != nil {
			panic(err)
		}
		t := time.Now()
		generate(d)
		times = append(times, float64(time.Since(t).Microseconds())/1000)
		os.RemoveAll(d)
	}
	_ = json.NewEncoder(os.Stdout).Encode(times)
}
