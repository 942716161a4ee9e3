package awsapi

import (
	"net/http"
	"net/url"
	"strings"
)

// protocol is an AWS wire protocol.
type protocol int

const (
	// protoJSON is AWS JSON 1.0/1.1: POST, X-Amz-Target names the
	// operation, JSON in and out.
	protoJSON protocol = iota
	// protoQuery is the AWS Query protocol: a form in, XML out.
	protoQuery
	// protoEC2 is EC2's dialect of the Query protocol.
	protoEC2
	// protoCBOR is Smithy RPC v2 CBOR; no simulated service speaks it
	// yet, but its clients get errors they can read.
	protoCBOR
	// protoREST is any REST protocol (paths and methods name the
	// operation); no simulated service speaks one.
	protoREST
)

// service is a simulated service as the endpoint serves it.
type service struct {
	// signingName is the service of the request's SigV4 credential scope
	// (".../us-east-1/ecs/aws4_request").
	signingName string
	// table is the service prefix of its actions in the action table
	// ("ecs" for "ecs:CreateCluster").
	table    string
	protocol protocol
	// target is the X-Amz-Target prefix of a JSON service.
	target string
	// version and xmlns are the API version and the XML namespace of a
	// Query or EC2 service.
	version, xmlns string
	// global marks a service that answers for any signing region.
	global bool
}

// services are the services the endpoint routes to. A Query service's
// actions are whatever the action table holds under its prefix: a service
// package that registers "elbv2:CreateTargetGroup" is served with no
// change here. [API:<service>/<version>/service-2.json metadata]
var services = []service{
	{signingName: "ecs", table: "ecs", protocol: protoJSON, target: "AmazonEC2ContainerServiceV20141113"},
	{signingName: "application-autoscaling", table: "application-autoscaling", protocol: protoJSON, target: "AnyScaleFrontendService"},
	{signingName: "sts", table: "sts", protocol: protoQuery, version: "2011-06-15",
		xmlns: "https://sts.amazonaws.com/doc/2011-06-15/", global: true},
	{signingName: "elasticloadbalancing", table: "elbv2", protocol: protoQuery, version: "2015-12-01",
		xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"},
	{signingName: "ec2", table: "ec2", protocol: protoEC2, version: "2016-11-15",
		xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/"},
}

// credentialScope returns the signing region and service of a SigV4
// request: from the Authorization header, or from X-Amz-Credential in the
// URL of a presigned request. Both are "" for an unsigned request.
func credentialScope(r *http.Request) (region, svc string) {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		_, rest, ok := strings.Cut(auth, "Credential=")
		if !ok {
			return "", ""
		}
		cred, _, _ = strings.Cut(rest, ",")
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	// AKID/20260101/us-east-1/ecs/aws4_request
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return "", ""
	}
	return parts[2], parts[3]
}

// clientProtocol tells which protocol a request speaks, so that even a
// request for a service that is not simulated gets an error its client
// can parse.
func clientProtocol(r *http.Request, signingName string) protocol {
	ct := r.Header.Get("Content-Type")
	switch {
	case r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(ct, "application/x-amz-json-"):
		return protoJSON
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor") || strings.HasPrefix(ct, "application/cbor"):
		return protoCBOR
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded") ||
		(r.Method == http.MethodGet && r.URL.Query().Get("Action") != ""):
		if signingName == "ec2" {
			return protoEC2
		}
		return protoQuery
	}
	return protoREST
}

// findService returns the simulated service a request is for: by signing
// name and, for services that share one (Classic Load Balancing and ELBv2),
// by the Query Version; without a signature, by X-Amz-Target prefix or
// Query Version.
func findService(signingName string, proto protocol, target string, form url.Values) (*service, bool) {
	version := form.Get("Version")
	for i := range services {
		s := &services[i]
		switch {
		case signingName != "" && s.signingName != signingName:
			continue
		case s.protocol != proto && !(proto == protoQuery && s.protocol == protoEC2):
			continue
		case proto == protoJSON && s.target != target:
			continue
		case proto != protoJSON && version != "" && s.version != version:
			continue
		case proto != protoJSON && signingName == "" && version == "":
			continue
		}
		return s, true
	}
	return nil, false
}
