package awsapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// queryForm returns the parameters of a Query request: the URL query of a
// GET, the form body of a POST. SigV4 parameters of presigned requests
// (X-Amz-*) are not the action's and are left out.
func queryForm(r *http.Request, body []byte) (url.Values, error) {
	raw := string(body)
	if r.Method == http.MethodGet {
		raw = r.URL.RawQuery
	}
	form, err := url.ParseQuery(raw)
	if err != nil {
		return nil, queryValidation("the request is not a valid form: %v", err)
	}
	for k := range form {
		if strings.HasPrefix(k, "X-Amz-") {
			delete(form, k)
		}
	}
	return form, nil
}

// callQuery runs a Query or EC2 request against the World and returns the
// XML answer, or the error to send.
func (s *Server) callQuery(svc *service, region string, form url.Values) ([]byte, error) {
	action := form.Get("Action")
	if action == "" {
		// [https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html]
		return nil, api.Errorf("MissingAction", "The request must contain the parameter Action.")
	}
	name := svc.table + ":" + action
	result, input, out, err := s.invokeQuery(svc, region, name, action, form)
	if err != nil {
		return nil, err
	}
	// The answer is encoded after the lock is released.
	id := requestID(input, name)
	var buf bytes.Buffer
	if svc.protocol == protoEC2 {
		// EC2 answers have no Result wrapper and a requestId member.
		// [https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html]
		buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		buf.WriteString("<" + action + `Response xmlns="` + svc.xmlns + `"><requestId>` + id + "</requestId>")
		if err := encodeOutput(&buf, result, out, true); err != nil {
			return nil, err
		}
		buf.WriteString("</" + action + "Response>")
		return buf.Bytes(), nil
	}
	buf.WriteString("<" + action + `Response xmlns="` + svc.xmlns + `"><` + action + "Result>")
	if err := encodeOutput(&buf, result, out, false); err != nil {
		return nil, err
	}
	buf.WriteString("</" + action + "Result><ResponseMetadata><RequestId>" + id +
		"</RequestId></ResponseMetadata></" + action + "Response>")
	return buf.Bytes(), nil
}

// invokeQuery decodes the form into the action's input and calls it, with
// the World locked. It returns the action's JSON output, its JSON input and
// the output's Go type.
func (s *Server) invokeQuery(svc *service, region, name, action string, form url.Values) (result, input []byte, out reflect.Type, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := s.worldLocked(region)
	if err != nil {
		return nil, nil, nil, s.regionError(svc.protocol, region, err)
	}
	table := w.Table()
	in, ok := table.InputType(name)
	out, _ = table.OutputType(name)
	if !ok {
		// AWS's own words for an operation a Query service lacks.
		return nil, nil, nil, api.Errorf("InvalidAction", "Could not find operation %.100s for version %s", action, svc.version)
	}
	if input, err = decodeQuery(form, in, svc.protocol == protoEC2); err != nil {
		return nil, nil, nil, err
	}
	s.advanceForPollLocked(w, name)
	result, err = w.Call(name, input)
	return result, input, out, err
}

// queryCode turns the action table's decoding errors into the code the
// protocol's services use for bad input.
func queryCode(e *api.Error, proto protocol) string {
	if e.Code != api.CodeSerializationException {
		return e.Code
	}
	if proto == protoEC2 {
		return "InvalidParameterValue"
	}
	return codeValidationError
}

// writeQueryError sends an error as the Query protocol does:
//
//	<ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
//
// or, in the EC2 dialect:
//
//	<Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>
//
// [https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization]
// [https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html]
//
// svc is the service answering (nil: none does); its model gives the
// status.
func writeQueryError(rw http.ResponseWriter, err error, proto protocol, svc *service) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.ServerException("%v", err)
	}
	code := queryCode(e, proto)
	id := requestID([]byte(e.Message), code)
	var buf bytes.Buffer
	if proto == protoEC2 {
		buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Errors><Error><Code>")
		xmlText(&buf, code)
		buf.WriteString("</Code><Message>")
		xmlText(&buf, e.Message)
		buf.WriteString("</Message></Error></Errors><RequestID>" + id + "</RequestID></Response>")
	} else {
		buf.WriteString("<ErrorResponse")
		if svc != nil && svc.xmlns != "" {
			buf.WriteString(` xmlns="` + svc.xmlns + `"`)
		}
		kind := "Sender"
		if e.Fault == api.FaultServer {
			kind = "Receiver"
		}
		buf.WriteString("><Error><Type>" + kind + "</Type><Code>")
		xmlText(&buf, code)
		buf.WriteString("</Code><Message>")
		xmlText(&buf, e.Message)
		buf.WriteString("</Message></Error><RequestId>" + id + "</RequestId></ErrorResponse>")
	}
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-RequestId", id)
	rw.WriteHeader(svc.queryStatus(e))
	_, _ = rw.Write(buf.Bytes())
}
