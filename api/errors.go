package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Fault says whose fault an error is, as AWS SDKs report it.
type Fault int

const (
	// FaultClient marks an error caused by the request: bad input, a
	// missing resource, a state that forbids the action.
	FaultClient Fault = iota
	// FaultServer marks an error on the service's side.
	FaultServer
)

func (f Fault) String() string {
	if f == FaultServer {
		return "server"
	}
	return "client"
}

// Error is an AWS API error. Its Error method prints "<Code>: <Message>",
// the shape the AWS SDK for Go v2 uses.
type Error struct {
	// Code is the AWS error code, e.g. "ClientException".
	Code string
	// Message is the human-readable message, in AWS's words where known.
	Message string
	// Fault says whether the caller or the service is at fault.
	Fault Fault
	// Path, when set, is the JSON path of the input field at fault (for
	// example "containerDefinitions[0].portMappings[1].hostPort"). AWS does
	// not return it; ecssim's validate command prints it.
	Path string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the AWS error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault returns "client" or "server".
func (e *Error) ErrorFault() string { return e.Fault.String() }

// HTTPStatus returns the status code AWS answers this error with: 500 for
// server faults and 400 for the rest, which is what the JSON protocols of
// ECS and Application Auto Scaling use for every modelled client error.
func (e *Error) HTTPStatus() int {
	if e.Fault == FaultServer {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// At returns a copy of e that names the input field at fault.
func (e *Error) At(path string) *Error {
	c := *e
	c.Path = path
	return &c
}

// ErrorCode returns the AWS error code of err, or "" when err is not (and
// does not wrap) an [*Error].
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Errorf returns a client-fault error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error codes shared by the simulated services. The service packages add
// their own (ServiceNotFoundException, TargetGroupNotFound, ...).
const (
	CodeClientException           = "ClientException"
	CodeServerException           = "ServerException"
	CodeInvalidParameterException = "InvalidParameterException"
	CodeValidationException       = "ValidationException"
	CodeSerializationException    = "SerializationException"
	CodeUnknownOperation          = "UnknownOperationException"
	CodeInternalFailure           = "InternalFailure"
)

// ClientException returns an ECS ClientException: the request is wrong in a
// way the service understood (invalid task definition, unknown revision).
func ClientException(format string, args ...any) *Error {
	return Errorf(CodeClientException, format, args...)
}

// InvalidParameter returns an ECS InvalidParameterException.
func InvalidParameter(format string, args ...any) *Error {
	return Errorf(CodeInvalidParameterException, format, args...)
}

// Validation returns a ValidationException, the code that Application Auto
// Scaling and ELBv2 use for bad input.
func Validation(format string, args ...any) *Error {
	return Errorf(CodeValidationException, format, args...)
}

// ServerException returns a server-fault ECS ServerException.
func ServerException(format string, args ...any) *Error {
	e := Errorf(CodeServerException, format, args...)
	e.Fault = FaultServer
	return e
}
