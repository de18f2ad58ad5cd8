// Oracle for the containerd template dot's zero values: look-alike structs with the same field
// names, order and Go types as K3s's templates.ContainerdConfig / config.Node / config.Agent /
// config.Containerd / config.CRIDockerd / config.Flannel and wharfie's registries types (our own
// declarations, written from the field lists in test/fixtures/containerd/k3s-struct-fields.json).
// Reads a JSON array of template texts on stdin, executes each on a zero dot (NodeConfig and
// PrivateRegistryConfig point at zero structs) and prints a JSON array of {out, err}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"text/template"
)

// portRange has the field types and value-receiver String of k8s util/net.PortRange.
type portRange struct {
	Base int
	Size int
}

func (pr portRange) String() string {
	if pr.Size == 0 {
		return ""
	}
	return fmt.Sprintf("%d-%d", pr.Base, pr.Base+pr.Size-1)
}

type authConfig struct {
	Username, Password, Auth, IdentityToken string
}

type tlsConfig struct {
	CAFile, CertFile, KeyFile string
	InsecureSkipVerify        bool
}

type mirror struct {
	Endpoints []string
	Rewrites  map[string]string
}

type registryConfig struct {
	Auth *authConfig
	TLS  *tlsConfig
}

type registry struct {
	Mirrors map[string]mirror
	Configs map[string]registryConfig
	Auths   map[string]authConfig
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

type result struct {
	Out string `json:"out"`
	Err string `json:"err,omitempty"`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	d := dot{NodeConfig: &node{}, PrivateRegistryConfig: &registry{}}
	results := make([]result, 0, len(texts))
	for _, text := range texts {
		var buf bytes.Buffer
		t, err := template.New("t").Parse(text)
		if err == nil {
			err = t.Execute(&buf, d)
		}
		r := result{Out: buf.String()}
		if err != nil {
			r.Err = err.Error()
		}
		results = append(results, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
