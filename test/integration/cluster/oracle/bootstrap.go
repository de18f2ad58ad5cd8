// Oracle for k3s-node-kit/cluster: encrypts, decrypts and (de)serialises K3s bootstrap data the way K3s's
// pkg/cluster/encrypt.go and pkg/bootstrap/bootstrap.go do (written from their documented behaviour, stdlib +
// golang.org/x/crypto/pbkdf2). Build in GOPATH mode with Debian's golang-golang-x-crypto-dev.
//
//	bootstrap key <passphrase>                 prints the datastore key
//	bootstrap plain <dataDir> [enc]            prints ReadFromDisk's JSON of <dataDir>/server (enc: with encryption files)
//	bootstrap save <passphrase> <dataDir> [enc] prints the encrypted value of that JSON
//	bootstrap legacy <passphrase> <dataDir>    prints the encrypted old map[string][]byte format
//	bootstrap load <passphrase>                reads a value on stdin, prints {"format":…, "files": map[string]File}
//	bootstrap write <passphrase> <dataDir>     reads a value on stdin, writes the files with Chtimes (WriteToDiskFromStorage)
package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/pbkdf2"
)

type File struct {
	Timestamp time.Time
	Content   []byte
}

var fields = []struct{ name, rel string }{
	{"ETCDServerCA", "tls/etcd/server-ca.crt"},
	{"ETCDServerCAKey", "tls/etcd/server-ca.key"},
	{"ETCDPeerCA", "tls/etcd/peer-ca.crt"},
	{"ETCDPeerCAKey", "tls/etcd/peer-ca.key"},
	{"ServerCA", "tls/server-ca.crt"},
	{"ServerCAKey", "tls/server-ca.key"},
	{"ClientCA", "tls/client-ca.crt"},
	{"ClientCAKey", "tls/client-ca.key"},
	{"ServiceKey", "tls/service.key"},
	{"PasswdFile", "cred/passwd"},
	{"RequestHeaderCA", "tls/request-header-ca.crt"},
	{"RequestHeaderCAKey", "tls/request-header-ca.key"},
	{"IPSECKey", "cred/ipsec.psk"},
	{"EncryptionConfig", "cred/encryption-config.json"},
	{"EncryptionHash", "cred/encryption-state.json"},
}

func paths(dataDir string, enc bool) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		p := filepath.Join(dataDir, "server", f.rel)
		if !enc && strings.HasPrefix(f.name, "Encryption") {
			p = ""
		}
		out[f.name] = p
	}
	return out
}

func keyHash(passphrase string) string {
	d := sha256.Sum256([]byte(passphrase))
	return hex.EncodeToString(d[:])[:12]
}

func random(size int) string {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func encrypt(passphrase string, plaintext []byte) string {
	salt := random(8)
	clearKey := pbkdf2.Key([]byte(passphrase), []byte(salt), 4096, 32, sha1.New)
	block, err := aes.NewCipher(clearKey)
	check(err)
	gcm, err := cipher.NewGCM(block)
	check(err)
	nonce := make([]byte, gcm.NonceSize())
	_, err = io.ReadFull(rand.Reader, nonce)
	check(err)
	sealed := gcm.Seal(nonce, nonce, plaintext, nil)
	return salt + ":" + base64.StdEncoding.EncodeToString(sealed)
}

func decrypt(passphrase string, ciphertext []byte) ([]byte, error) {
	parts := strings.SplitN(string(ciphertext), ":", 2)
	if len(parts) != 2 {
		return nil, errors.New("invalid cipher text, not : delimited")
	}
	clearKey := pbkdf2.Key([]byte(passphrase), []byte(parts[0]), 4096, 32, sha1.New)
	block, err := aes.NewCipher(clearKey)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	return gcm.Open(nil, data[:gcm.NonceSize()], data[gcm.NonceSize():], nil)
}

func readFromDisk(dataDir string, enc bool) []byte {
	dataMap := map[string]File{}
	for key, path := range paths(dataDir, enc) {
		if path == "" {
			continue
		}
		info, err := os.Stat(path)
		if err != nil {
			continue
		}
		data, err := os.ReadFile(path)
		check(err)
		dataMap[key] = File{Timestamp: info.ModTime(), Content: data}
	}
	var buf bytes.Buffer
	check(json.NewEncoder(&buf).Encode(dataMap))
	return buf.Bytes()
}

// decode reads either format, as ReconcileBootstrapData does (isMigrated, then migrateBootstrapData).
func decode(plain []byte) (map[string]File, string, error) {
	files := map[string]File{}
	if err := json.NewDecoder(bytes.NewReader(plain)).Decode(&files); err == nil {
		return files, "files", nil
	}
	var old map[string][]byte
	if err := json.NewDecoder(bytes.NewReader(plain)).Decode(&old); err != nil {
		return nil, "", err
	}
	files = map[string]File{}
	for k, v := range old {
		files[k] = File{Content: v}
	}
	return files, "legacy", nil
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	args := os.Args[1:]
	enc := len(args) > 0 && args[len(args)-1] == "enc"
	switch args[0] {
	case "key":
		fmt.Print("/bootstrap/" + keyHash(args[1]))
	case "plain":
		os.Stdout.Write(readFromDisk(args[1], enc))
	case "save":
		fmt.Print(encrypt(args[1], readFromDisk(args[2], enc)))
	case "legacy":
		old := map[string][]byte{}
		for key, path := range paths(args[2], false) {
			if path == "" {
				continue
			}
			if data, err := os.ReadFile(path); err == nil {
				old[key] = data
			}
		}
		b, err := json.Marshal(old)
		check(err)
		fmt.Print(encrypt(args[1], b))
	case "load", "write":
		in, err := io.ReadAll(os.Stdin)
		check(err)
		plain, err := decrypt(args[1], in)
		check(err)
		files, format, err := decode(plain)
		check(err)
		if args[0] == "load" {
			check(json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"format": format, "files": files}))
			return
		}
		p := paths(args[2], enc)
		for k, f := range files {
			path, ok := p[k]
			if !ok || path == "" {
				continue
			}
			check(os.MkdirAll(filepath.Dir(path), 0700))
			check(os.WriteFile(path, f.Content, 0600))
			check(os.Chtimes(path, f.Timestamp, f.Timestamp))
		}
	default:
		check(fmt.Errorf("unknown command %q", args[0]))
	}
}
