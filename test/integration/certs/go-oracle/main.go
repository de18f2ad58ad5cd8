// Oracle for the certs tests: parses certificates with Go's crypto/x509 (which, unlike OpenSSL,
// rejects mis-tagged PrintableStrings) and verifies chains with key usages, as K3s components would.
// Input on stdin: JSON list of checks; output: JSON list of results in the same order.
package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"time"
)

type check struct {
	Cert  string `json:"cert"`            // PEM file; the first cert is verified, the rest are intermediates
	CA    string `json:"ca,omitempty"`    // PEM file with roots; empty = parse only
	Usage string `json:"usage,omitempty"` // server | client | both | any
	DNS   string `json:"dns,omitempty"`   // optional host name to verify
	Time  string `json:"time,omitempty"`  // RFC3339 verification time; default now
	// Rebuild: re-create the first cert with x509.CreateCertificate from its own fields, signed with
	// CAKey (PEM) by CA (or self-signed when CA is empty), and require a byte-identical TBSCertificate.
	Rebuild bool   `json:"rebuild,omitempty"`
	CAKey   string `json:"caKey,omitempty"`
}

type result struct {
	Cert  string `json:"cert"`
	Certs int    `json:"certs"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func load(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no certificate", path)
	}
	return out, nil
}

func rebuild(c check, cert *x509.Certificate) error {
	keyPem, err := os.ReadFile(c.CAKey)
	if err != nil {
		return err
	}
	b, _ := pem.Decode(keyPem)
	if b == nil {
		return fmt.Errorf("%s: no PEM key", c.CAKey)
	}
	key, err := x509.ParseECPrivateKey(b.Bytes)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          cert.SerialNumber,
		Subject:               pkix.Name{CommonName: cert.Subject.CommonName, Organization: cert.Subject.Organization},
		NotBefore:             cert.NotBefore,
		NotAfter:              cert.NotAfter,
		KeyUsage:              cert.KeyUsage,
		ExtKeyUsage:           cert.ExtKeyUsage,
		BasicConstraintsValid: cert.BasicConstraintsValid,
		IsCA:                  cert.IsCA,
		DNSNames:              cert.DNSNames,
		IPAddresses:           cert.IPAddresses,
	}
	parent := tmpl
	if c.CA != "" {
		cas, err := load(c.CA)
		if err != nil {
			return err
		}
		parent = cas[0]
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, cert.PublicKey, crypto.Signer(key))
	if err != nil {
		return err
	}
	goCert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	if !bytes.Equal(goCert.RawTBSCertificate, cert.RawTBSCertificate) {
		a, b := goCert.RawTBSCertificate, cert.RawTBSCertificate
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return fmt.Errorf("TBSCertificate differs from Go's at byte %d (go %d bytes, ours %d bytes)", i, len(a), len(b))
	}
	return nil
}

func run(c check) result {
	r := result{Cert: c.Cert}
	certs, err := load(c.Cert)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Certs = len(certs)
	if c.Rebuild {
		if err := rebuild(c, certs[0]); err != nil {
			r.Error = err.Error()
			return r
		}
		r.OK = true
		return r
	}
	if c.CA == "" {
		r.OK = true
		return r
	}
	roots, err := load(c.CA)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), DNSName: c.DNS}
	for _, root := range roots {
		opts.Roots.AddCert(root)
	}
	for _, ic := range certs[1:] {
		opts.Intermediates.AddCert(ic)
	}
	if c.Time != "" {
		t, err := time.Parse(time.RFC3339, c.Time)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		opts.CurrentTime = t
	}
	var usages [][]x509.ExtKeyUsage
	switch c.Usage {
	case "server":
		usages = [][]x509.ExtKeyUsage{{x509.ExtKeyUsageServerAuth}}
	case "client":
		usages = [][]x509.ExtKeyUsage{{x509.ExtKeyUsageClientAuth}}
	case "both":
		usages = [][]x509.ExtKeyUsage{{x509.ExtKeyUsageServerAuth}, {x509.ExtKeyUsageClientAuth}}
	default:
		usages = [][]x509.ExtKeyUsage{{x509.ExtKeyUsageAny}}
	}
	for _, u := range usages {
		opts.KeyUsages = u
		if _, err := certs[0].Verify(opts); err != nil {
			r.Error = err.Error()
			return r
		}
	}
	r.OK = true
	return r
}

func main() {
	var checks []check
	if err := json.NewDecoder(os.Stdin).Decode(&checks); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]result, 0, len(checks))
	for _, c := range checks {
		out = append(out, run(c))
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
