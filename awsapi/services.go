package awsapi

import (
	"net/http"

	"github.com/ecssim/ecssim/api"
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
	// protoCBOR is Smithy RPC v2 CBOR: POST
	// /service/<ServiceName>/operation/<Operation>, CBOR in and out.
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
	// target is the X-Amz-Target prefix of a JSON service, and the
	// service name in the path of an RPC v2 CBOR service.
	target string
	// jsonVersion is the AWS JSON version of a JSON service: "1.1"
	// unless set.
	jsonVersion string
	// version and xmlns are the API version and the XML namespace of a
	// Query or EC2 service.
	version, xmlns string
	// global marks a service that answers for any signing region.
	global bool
	// errors are the service's modelled errors by their Query code, for
	// the type name and status the JSON and CBOR protocols send; a code
	// not listed is sent as itself with status 400 (500 for a server
	// fault).
	errors map[string]errorShape
	// queryCompatible marks a service whose model has the
	// awsQueryCompatible trait: its JSON and CBOR errors also carry the
	// Query code in an X-Amzn-Query-Error header ("<Code>;Sender").
	queryCompatible bool
}

// errorShape is how the JSON and CBOR protocols of a service send an
// error: the error shape's name as __type, and its HTTP status.
type errorShape struct {
	typ    string
	status int
}

// wireError returns the __type and status to send e with, and sets the
// X-Amzn-Query-Error header of a Query-compatible service. svc may be nil
// (a request no simulated service answers).
// [https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait]
func (svc *service) wireError(e *api.Error, h http.Header) (typ string, status int) {
	typ, status = e.Code, e.HTTPStatus()
	if svc == nil {
		return typ, status
	}
	if shape, ok := svc.errors[e.Code]; ok {
		typ, status = shape.typ, shape.status
	}
	if svc.queryCompatible {
		kind := "Sender"
		if e.Fault == api.FaultServer {
			kind = "Receiver"
		}
		h.Set("X-Amzn-Query-Error", e.Code+";"+kind)
	}
	return typ, status
}

// queryStatus is the HTTP status of e in svc's Query protocol: the
// model's status for the error, as in the JSON protocols.
func (svc *service) queryStatus(e *api.Error) int {
	if svc != nil {
		if shape, ok := svc.errors[e.Code]; ok {
			return shape.status
		}
	}
	return e.HTTPStatus()
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
	// CloudWatch answers in the three protocols its model lists: RPC v2
	// CBOR (the AWS SDK for Go v2), JSON 1.0 (the aws CLI) and Query.
	{signingName: "monitoring", table: "cloudwatch", protocol: protoCBOR, target: cloudWatchTarget,
		errors: cloudWatchErrors, queryCompatible: true},
	{signingName: "monitoring", table: "cloudwatch", protocol: protoJSON, target: cloudWatchTarget, jsonVersion: "1.0",
		errors: cloudWatchErrors, queryCompatible: true},
	{signingName: "monitoring", table: "cloudwatch", protocol: protoQuery, version: "2010-08-01",
		xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/", errors: cloudWatchErrors},
}

// cloudWatchTarget is CloudWatch's X-Amz-Target prefix and RPC v2 service
// name. [API:cloudwatch/2010-08-01 metadata targetPrefix]
const cloudWatchTarget = "GraniteServiceVersion20100801"

// cloudWatchErrors are CloudWatch's error shapes by Query code, with their
// HTTP status. A request that breaks a constraint of the model
// (ValidationError) has no error shape; it is sent as
// ValidationException, the type AWS's JSON services use for it.
// [API:cloudwatch/2010-08-01 shapes with "exception": true, their "error"]
var cloudWatchErrors = map[string]errorShape{
	"InvalidParameterValue":       {"InvalidParameterValueException", 400},
	"MissingParameter":            {"MissingRequiredParameterException", 400},
	"InvalidParameterCombination": {"InvalidParameterCombinationException", 400},
	"ResourceNotFound":            {"ResourceNotFound", 404},
	"InvalidFormat":               {"InvalidFormatFault", 400},
	"InvalidNextToken":            {"InvalidNextToken", 400},
	"LimitExceeded":               {"LimitExceededFault", 400},
	"InternalServiceError":        {"InternalServiceFault", 500},
	"ValidationError":             {"ValidationException", 400},
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
// by the Query Version; without a signature, by X-Amz-Target prefix, RPC v2
// service name or Query Version.
func findService(signingName string, proto protocol, target string, form url.Values) (*service, bool) {
	version := form.Get("Version")
	rpc := proto == protoJSON || proto == protoCBOR // the operation is named by target
	for i := range services {
		s := &services[i]
		switch {
		case signingName != "" && s.signingName != signingName:
			continue
		case s.protocol != proto && !(proto == protoQuery && s.protocol == protoEC2):
			continue
		case rpc && s.target != target:
			continue
		case !rpc && version != "" && s.version != version:
			continue
		case !rpc && signingName == "" && version == "":
			continue
		}
		return s, true
	}
	return nil, false
}
