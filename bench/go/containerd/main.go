// Bench anchor for bench/containerd.bench.ts: renders our base template (text passed in a file)
// with Go text/template the way K3s does (funcs, trimEmpty) and reports ns per render.
// Stdlib only. Usage: containerd-bench <template-file> <config-json-file> <iterations>
// With iterations 0 the JSON file holds a list of configs and the program prints the list of
// rendered outputs (used as an oracle by test/unit/containerd/go-oracle.test.ts).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

type AuthConfig struct{ Username, Password, Auth, IdentityToken string }
type TLSConfig struct {
	CAFile, CertFile, KeyFile string
	InsecureSkipVerify        bool
}
type RegistryConfig struct {
	Auth *AuthConfig
	TLS  *TLSConfig
}
type Mirror struct {
	Endpoints []string
	Rewrites  map[string]string
}
type Registry struct {
	Mirrors map[string]Mirror
	Configs map[string]RegistryConfig
}
type Containerd struct {
	Address, Log, Root, State, Config, Opt, Template, BlockIOConfig, RDTConfig, Registry string
	NoDefault, NonrootDevices, SELinux, Debug                                              bool
	ConfigVersion                                                                          int
}
type CRIDockerd struct {
	Address, Root string
	Debug         bool
}
type Agent struct {
	PauseImage, Snapshotter, ImageServiceSocket, CNIBinDir, CNIConfDir, NodeName string
	CNIPlugin, Systemd                                                       bool
	Registry                                                                 *Registry
	SystemDefaultRegistry, RuntimeSocket                                     string
}
type Node struct {
	Docker                                                    bool
	ContainerRuntimeEndpoint, ImageServiceEndpoint            string
	SELinux, EnablePProf, SupervisorMetrics, EmbeddedRegistry bool
	EgressSelectorMode                                        string
	Containerd                                                Containerd
	CRIDockerd                                                CRIDockerd
	Images                                                    string
	AgentConfig                                               Agent
	ServerHTTPSPort, SupervisorPort                           int
	DefaultRuntime                                            string
}
type RuntimeConfig struct{ RuntimeType, BinaryName string }
type ContainerdConfig struct {
	NodeConfig                                                                                             *Node
	DisableCgroup, SystemdCgroup, IsRunningInUserNS, EnableUnprivileged, NoDefaultEndpoint, NonrootDevices bool
	PrivateRegistryConfig                                                                                  *Registry
	ExtraRuntimes                                                                                          map[string]RuntimeConfig
	Program                                                                                                string
}

func trimEmpty(s string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		l := sc.Text()
		if strings.TrimSpace(l) != "" {
			if strings.HasPrefix(l, "[") {
				b.WriteString("\n")
			}
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func main() {
	text, err := os.ReadFile(os.Args[1])
	must(err)
	raw, err := os.ReadFile(os.Args[2])
	must(err)
	n, err := strconv.Atoi(os.Args[3])
	must(err)
	funcs := template.FuncMap{
		"deschemify":   func(s string) string { return s },
		"toJson":       func(v any) string { o, _ := json.Marshal(v); return string(o) },
		"filepathjoin": filepath.Join,
	}
	t := template.Must(template.New("base").Funcs(funcs).Parse(string(text)))
	if n == 0 {
		var cfgs []ContainerdConfig
		must(json.Unmarshal(raw, &cfgs))
		outs := make([]string, 0, len(cfgs))
		for _, c := range cfgs {
			var buf bytes.Buffer
			must(t.Execute(&buf, c))
			outs = append(outs, trimEmpty(buf.String()))
		}
		res, _ := json.Marshal(outs)
		fmt.Println(string(res))
		return
	}
	var cfg ContainerdConfig
	must(json.Unmarshal(raw, &cfg))
	var out string
	run := func() {
		var buf bytes.Buffer
		must(t.Execute(&buf, cfg))
		out = trimEmpty(buf.String())
	}
	for i := 0; i < n/10+1; i++ {
		run()
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		run()
	}
	ns := float64(time.Since(start).Nanoseconds()) / float64(n)
	res, _ := json.Marshal(map[string]any{"nsPerOp": ns, "output": out})
	fmt.Println(string(res))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
