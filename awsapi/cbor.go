package awsapi

import (
	"encoding/binary"
	"errors"
	"net/http"

	"github.com/ecssim/ecssim/api"
)

// writeCBORError sends an error in the Smithy RPC v2 CBOR protocol: a CBOR
// map {"__type": code, "message": message}. No simulated service speaks
// CBOR, but a client that does (CloudWatch's newer SDKs) must get an error
// it can decode. [https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html]
func writeCBORError(rw http.ResponseWriter, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.ServerException("%v", err)
	}
	b := []byte{0xa2} // a map of two pairs
	b = cborText(b, "__type")
	b = cborText(b, e.Code)
	b = cborText(b, "message")
	b = cborText(b, e.Message)
	rw.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	rw.Header().Set("Content-Type", "application/cbor")
	rw.WriteHeader(e.HTTPStatus())
	_, _ = rw.Write(b)
}

// cborText appends s as a CBOR text string (major type 3).
func cborText(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 24:
		b = append(b, 0x60|byte(n))
	case n < 1<<8:
		b = append(b, 0x78, byte(n))
	case n < 1<<16:
		b = append(b, 0x79)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x7a)
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	return append(b, s...)
}
