// Test oracle: answers questions with the real Go standard library, the way K3s and kube-router
// call it. Input on stdin: {"op": "...", "items": [...]}; output: a JSON array, one answer per item.
// Written for k3s-node-kit's differential tests; stdlib only.
package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
)

type request struct {
	Op    string   `json:"op"`
	Items []string `json:"items"`
}

var nameserverLine = regexp.MustCompile(`^nameserver\s+([^\s]*)`)

// nameserverOK mirrors the check K3s makes: parses, is global unicast, or is the IMDS address.
func nameserverOK(s string) bool {
	ip := net.ParseIP(s)
	if ip == nil {
		return false
	}
	if ip.Equal(net.IPv4(169, 254, 169, 254)) {
		return true
	}
	return ip.IsGlobalUnicast()
}

func fileOK(text string) bool {
	sc := bufio.NewScanner(strings.NewReader(text))
	found := false
	for sc.Scan() {
		m := nameserverLine.FindStringSubmatch(sc.Text())
		if len(m) == 2 {
			if !nameserverOK(m[1]) {
				return false
			}
			found = true
		}
	}
	if sc.Err() != nil {
		return false
	}
	return found
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	out := make([]interface{}, 0, len(req.Items))
	for _, s := range req.Items {
		switch req.Op {
		case "nameserver":
			out = append(out, nameserverOK(s))
		case "resolvconf":
			out = append(out, fileOK(s))
		case "cidr":
			_, n, err := net.ParseCIDR(s)
			if err != nil {
				out = append(out, nil)
			} else {
				out = append(out, n.String())
			}
		case "atoi":
			v, err := strconv.Atoi(s)
			if err != nil {
				out = append(out, nil)
			} else {
				out = append(out, strconv.Itoa(v))
			}
		case "parseint":
			v, err := strconv.ParseInt(s, 10, 0)
			if err != nil {
				out = append(out, nil)
			} else {
				out = append(out, strconv.FormatInt(v, 10))
			}
		case "parsebool":
			v, err := strconv.ParseBool(s)
			if err != nil {
				out = append(out, nil)
			} else {
				out = append(out, v)
			}
		default:
			panic("unknown op " + req.Op)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
