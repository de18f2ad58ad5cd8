// Oracle for the containerd template func toJson: Go's encoding/json on look-alike structs with
// the same field names, order, Go types and json tags as K3s's templates.ContainerdConfig,
// config.Node/Containerd/CRIDockerd/Flannel/Agent (no json tags) and wharfie v0.7.1's
// registries types (json:"mirrors", ...). Our own declarations, written from the field lists in
// test/fixtures/containerd/k3s-struct-fields.json and the tags in src/containerd/k3s-structs.ts.
//
// stdin: a JSON array of {"dot": <K3s-shaped object with Go field names>, "templates": [text...]}.
// A dot field left out or null is Go's zero value (nil for pointers, maps, slices), as
// json.Unmarshal leaves it; net.IP / *net.IPNet fields are given as text and parsed with
// net.ParseIP / net.ParseCIDR. Each template is executed with K3s's toJson func on the dot
// value; stdout: a JSON array (per case) of arrays of {out, err}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/template"
)

// ---- K3s look-alikes (output side) ----

type portRange struct {
	Base int
	Size int
}

type authConfig struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	Auth          string `json:"auth"`
	IdentityToken string `json:"identitytoken"`
}

type tlsConfig struct {
	CAFile             string `json:"ca_file"`
	CertFile           string `json:"cert_file"`
	KeyFile            string `json:"key_file"`
	InsecureSkipVerify bool   `json:"insecure_skip_verify"`
}

type mirror struct {
	Endpoints []string          `json:"endpoint"`
	Rewrites  map[string]string `json:"rewrite"`
}

type registryConfig struct {
	Auth *authConfig `json:"auth"`
	TLS  *tlsConfig  `json:"tls"`
}

type registry struct {
	Mirrors map[string]mirror         `json:"mirrors"`
	Configs map[string]registryConfig `json:"configs"`
	Auths   map[string]authConfig     `json:"auths"`
}

type containerd struct {
	Address, Log, Root, State, Config, Opt, Template, BlockIOConfig, RDTConfig, Registry string
	NoDefault, NonrootDevices, SELinux, Debug                                            bool
	ConfigVersion                                                                        int
}

type criDockerd struct {
	Address, Root string
	Debug         bool
}

type flannel struct {
	Backend, CNIConfFile, ConfFile string
	ConfOverride                   bool
	Iface                          *net.Interface
	IPv6Masq, ExternalIP           bool
}

type agent struct {
	PodManifests, NodeName, NodeConfigPath                                            string
	ClientKubeletCert, ClientKubeletKey, ServingKubeletCert, ServingKubeletKey        string
	ServiceCIDR                                                                       *net.IPNet
	ServiceCIDRs                                                                      []*net.IPNet
	ServiceNodePortRange                                                              portRange
	ClusterCIDR                                                                       *net.IPNet
	ClusterCIDRs                                                                      []*net.IPNet
	ClusterDNS                                                                        net.IP
	ClusterDNSs                                                                       []net.IP
	ClusterDomain, ResolvConf, RootDir, KubeletConfigDir                              string
	KubeConfigKubelet, KubeConfigKubeProxy, KubeConfigK3sController, NodeIP           string
	NodeIPs                                                                           []net.IP
	NodeExternalIP                                                                    string
	NodeExternalIPs                                                                   []net.IP
	NodeInternalDNSs, NodeExternalDNSs                                                []string
	RuntimeSocket, ImageServiceSocket, ListenAddress, ClientCA, CNIBinDir, CNIConfDir string
	ExtraKubeletArgs, ExtraKubeProxyArgs                                              []string
	PauseImage, Snapshotter                                                           string
	Systemd, CNIPlugin                                                                bool
	NodeTaints, NodeLabels                                                            []string
	ImageCredProvBinDir, ImageCredProvConfig, IPSECPSK                                string
	Registry                                                                          *registry
	SystemDefaultRegistry                                                             string
	AirgapExtraRegistry                                                               []string
	DisableCCM, DisableNPC                                                            bool
	MinTLSVersion                                                                     string
	CipherSuites                                                                      []string
	Rootless, ProtectKernelDefaults, DisableServiceLB, EnableIPv4, EnableIPv6         bool
	VLevel                                                                            int
	VModule, LogFile                                                                  string
	AlsoLogToStderr                                                                   bool
}

type node struct {
	Docker                                                    bool
	ContainerRuntimeEndpoint, ImageServiceEndpoint            string
	SELinux, EnablePProf, SupervisorMetrics, EmbeddedRegistry bool
	EgressSelectorMode                                        string
	Containerd                                                containerd
	CRIDockerd                                                criDockerd
	Flannel                                                   flannel
	Images                                                    string
	AgentConfig                                               agent
	Token                                                     string
	ServerHTTPSPort, SupervisorPort                           int
	DefaultRuntime                                            string
}

type runtimeConfig struct {
	RuntimeType, BinaryName string
}

type dot struct {
	NodeConfig                                                                                             *node
	DisableCgroup, SystemdCgroup, IsRunningInUserNS, EnableUnprivileged, NoDefaultEndpoint, NonrootDevices bool
	PrivateRegistryConfig                                                                                  *registry
	ExtraRuntimes                                                                                          map[string]runtimeConfig
	Program                                                                                                string
}

// ---- input side: the same shapes without json tags, net types as text ----

type inAuth struct{ Username, Password, Auth, IdentityToken string }
type inTLS struct {
	CAFile, CertFile, KeyFile string
	InsecureSkipVerify        bool
}
type inMirror struct {
	Endpoints []string
	Rewrites  map[string]string
}
type inRegistryConfig struct {
	Auth *inAuth
	TLS  *inTLS
}
type inRegistry struct {
	Mirrors map[string]inMirror
	Configs map[string]inRegistryConfig
	Auths   map[string]inAuth
}

// inAgent decodes an agent: the embedded pointer takes every plain field, the outer fields (which
// shadow the embedded ones of the same name) take the text of the net types and the registry.
type AgentAlias agent
type inAgent struct {
	*AgentAlias
	ServiceCIDR     *string
	ServiceCIDRs    []string
	ClusterCIDR     *string
	ClusterCIDRs    []string
	ClusterDNS      string
	ClusterDNSs     []string
	NodeIPs         []string
	NodeExternalIPs []string
	Registry        *inRegistry
}
type NodeAlias node
type inNode struct {
	*NodeAlias
	AgentConfig *inAgent
}
type inDot struct {
	NodeConfig                                                                                             *inNode
	DisableCgroup, SystemdCgroup, IsRunningInUserNS, EnableUnprivileged, NoDefaultEndpoint, NonrootDevices bool
	PrivateRegistryConfig                                                                                  *inRegistry
	ExtraRuntimes                                                                                          map[string]runtimeConfig
	Program                                                                                                string
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func cidr(s string) *net.IPNet {
	if s == "" {
		return nil
	}
	_, n, err := net.ParseCIDR(s)
	must(err)
	return n
}

func cidrs(ss []string) []*net.IPNet {
	if ss == nil {
		return nil
	}
	out := make([]*net.IPNet, len(ss))
	for i, s := range ss {
		out[i] = cidr(s)
	}
	return out
}

func ip(s string) net.IP {
	if s == "" {
		return nil
	}
	a := net.ParseIP(s)
	if a == nil {
		must(fmt.Errorf("bad IP %q", s))
	}
	return a
}

func ips(ss []string) []net.IP {
	if ss == nil {
		return nil
	}
	out := make([]net.IP, len(ss))
	for i, s := range ss {
		out[i] = ip(s)
	}
	return out
}

func reg(in *inRegistry) *registry {
	if in == nil {
		return nil
	}
	r := &registry{}
	if in.Mirrors != nil {
		r.Mirrors = map[string]mirror{}
		for k, m := range in.Mirrors {
			r.Mirrors[k] = mirror(m)
		}
	}
	if in.Configs != nil {
		r.Configs = map[string]registryConfig{}
		for k, c := range in.Configs {
			var rc registryConfig
			if c.Auth != nil {
				a := authConfig(*c.Auth)
				rc.Auth = &a
			}
			if c.TLS != nil {
				t := tlsConfig(*c.TLS)
				rc.TLS = &t
			}
			r.Configs[k] = rc
		}
	}
	if in.Auths != nil {
		r.Auths = map[string]authConfig{}
		for k, a := range in.Auths {
			r.Auths[k] = authConfig(a)
		}
	}
	return r
}

func decode(raw json.RawMessage) dot {
	var in inDot
	must(json.Unmarshal(raw, &in))
	d := dot{
		DisableCgroup: in.DisableCgroup, SystemdCgroup: in.SystemdCgroup, IsRunningInUserNS: in.IsRunningInUserNS,
		EnableUnprivileged: in.EnableUnprivileged, NoDefaultEndpoint: in.NoDefaultEndpoint,
		NonrootDevices: in.NonrootDevices, ExtraRuntimes: in.ExtraRuntimes, Program: in.Program,
	}
	// One registry object in the input is one pointer in K3s; text equality is enough for JSON.
	d.PrivateRegistryConfig = reg(in.PrivateRegistryConfig)
	if in.NodeConfig != nil {
		n := node{}
		if in.NodeConfig.NodeAlias != nil {
			n = node(*in.NodeConfig.NodeAlias)
		}
		if ia := in.NodeConfig.AgentConfig; ia != nil {
			a := agent{}
			if ia.AgentAlias != nil {
				a = agent(*ia.AgentAlias)
			}
			if ia.ServiceCIDR != nil {
				a.ServiceCIDR = cidr(*ia.ServiceCIDR)
			}
			a.ServiceCIDRs = cidrs(ia.ServiceCIDRs)
			if ia.ClusterCIDR != nil {
				a.ClusterCIDR = cidr(*ia.ClusterCIDR)
			}
			a.ClusterCIDRs = cidrs(ia.ClusterCIDRs)
			a.ClusterDNS = ip(ia.ClusterDNS)
			a.ClusterDNSs = ips(ia.ClusterDNSs)
			a.NodeIPs = ips(ia.NodeIPs)
			a.NodeExternalIPs = ips(ia.NodeExternalIPs)
			a.Registry = reg(ia.Registry)
			n.AgentConfig = a
		}
		d.NodeConfig = &n
	}
	return d
}

// Go 1.22 changed encoding/json to write U+0008 and U+000C as \b and \f (K3s builds with a newer
// Go); on an older toolchain this rewrites those two escapes. Every backslash in JSON text starts
// an escape, so a left-to-right scan finds them exactly.
var modernEscapes = func() bool {
	v := strings.TrimPrefix(runtime.Version(), "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	return major == 1 && minor < 22
}()

func fixEscapes(s string) string {
	if !modernEscapes || !strings.Contains(s, `\u000`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if strings.HasPrefix(s[i:], `\u0008`) {
			b.WriteString(`\b`)
			i += 5
		} else if strings.HasPrefix(s[i:], `\u000c`) {
			b.WriteString(`\f`)
			i += 5
		} else {
			b.WriteString(s[i : i+2])
			i++
		}
	}
	return b.String()
}

var funcs = template.FuncMap{
	// K3s pkg/agent/templates/templates_linux.go: json.Marshal, error ignored.
	"toJson": func(v interface{}) string {
		out, _ := json.Marshal(v)
		return fixEscapes(string(out))
	},
}

type result struct {
	Out string `json:"out"`
	Err string `json:"err,omitempty"`
}

func main() {
	var cases []struct {
		Dot       json.RawMessage `json:"dot"`
		Templates []string        `json:"templates"`
	}
	must(json.NewDecoder(os.Stdin).Decode(&cases))
	all := make([][]result, 0, len(cases))
	for _, c := range cases {
		d := decode(c.Dot)
		rs := make([]result, 0, len(c.Templates))
		for _, text := range c.Templates {
			var buf bytes.Buffer
			t, err := template.New("t").Funcs(funcs).Parse(text)
			if err == nil {
				err = t.Execute(&buf, d)
			}
			r := result{Out: buf.String()}
			if err != nil {
				r.Err = err.Error()
			}
			rs = append(rs, r)
		}
		all = append(all, rs)
	}
	enc := json.NewEncoder(os.Stdout)
	must(enc.Encode(all))
}
