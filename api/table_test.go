package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type echoIn struct {
	Name  *string           `json:"name,omitempty"`
	Count *int32            `json:"count,omitempty"`
	Items []echoItem        `json:"items,omitempty"`
	Raw   json.RawMessage   `json:"raw,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	When  Timestamp         `json:"when,omitzero"`
}

type echoItem struct {
	Key string `json:"key"`
}

type echoOut struct {
	Greeting string    `json:"greeting"`
	When     Timestamp `json:"when,omitzero"`
}

func newTestTable(calls *[]string) *Table {
	t := NewTable()
	Register(t, "test:Echo", func(in *echoIn) (*echoOut, error) {
		if in.Name == nil {
			return nil, InvalidParameter("name can not be blank.").At("name")
		}
		return &echoOut{Greeting: "hello " + *in.Name, When: in.When}, nil
	})
	Register(t, "test:Panic", func(*echoIn) (*echoOut, error) { panic("boom") })
	t.AddHook(func(action string, in, out any, err error) {
		*calls = append(*calls, action+" "+ErrorCode(err))
	})
	return t
}

func TestInvoke(t *testing.T) {
	var calls []string
	tab := newTestTable(&calls)
	cases := []struct {
		name, action, input, want, code, path string
	}{
		{"ok", "test:Echo", `{"name":"ecs"}`, `{"greeting":"hello ecs"}`, "", ""},
		{"empty input", "test:Echo", ``, "", CodeInvalidParameterException, "name"},
		{"unknown field", "test:Echo", `{"name":"x","nope":1}`, "", CodeSerializationException, "nope"},
		{"wrong case", "test:Echo", `{"Name":"x"}`, "", CodeSerializationException, "Name"},
		{"wrong case nested", "test:Echo", `{"name":"x","items":[{"Key":"k"}]}`, "", CodeSerializationException, "items[0].Key"},
		{"wrong type", "test:Echo", `{"name":"x","count":"3"}`, "", CodeSerializationException, "count"},
		{"not an object", "test:Echo", `[1]`, "", CodeSerializationException, ""},
		{"trailing data", "test:Echo", `{"name":"x"} {}`, "", CodeSerializationException, ""},
		{"syntax", "test:Echo", `{"name":`, "", CodeSerializationException, ""},
		{"raw and maps keep any case", "test:Echo", `{"name":"x","raw":{"Any":1},"tags":{"Env":"prod"}}`, `{"greeting":"hello x"}`, "", ""},
		{"timestamp seconds", "test:Echo", `{"name":"x","when":1767225600.5}`, `{"greeting":"hello x","when":1767225600.5}`, "", ""},
		{"timestamp RFC 3339", "test:Echo", `{"name":"x","when":"2026-01-01T00:00:00Z"}`, `{"greeting":"hello x","when":1767225600}`, "", ""},
		{"unknown action", "test:Nope", `{}`, "", CodeUnknownOperation, ""},
		{"panic is a server error", "test:Panic", `{}`, "", CodeServerException, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tab.Invoke(tc.action, []byte(tc.input))
			if tc.code == "" {
				require.NoError(t, err)
				require.JSONEq(t, tc.want, string(out))
				return
			}
			var e *Error
			require.True(t, errors.As(err, &e), "error %v", err)
			require.Equal(t, tc.code, e.Code, e.Message)
			require.Equal(t, tc.path, e.Path)
		})
	}
	require.Contains(t, calls, "test:Echo ")
	require.Contains(t, calls, "test:Panic ServerException")
}

func TestCallTyped(t *testing.T) {
	var calls []string
	tab := newTestTable(&calls)
	out, err := Call[echoIn, echoOut](tab, "test:Echo", &echoIn{Name: String("go")})
	require.NoError(t, err)
	require.Equal(t, "hello go", out.Greeting)
	_, err = Call[echoOut, echoOut](tab, "test:Echo", &echoOut{})
	require.Error(t, err, "types must match the registration")
	_, err = Call[echoIn, echoOut](tab, "test:Echo", nil)
	require.Equal(t, CodeInvalidParameterException, ErrorCode(err))
	require.Equal(t, []string{"test:Echo", "test:Panic"}, tab.Actions())
	require.Equal(t, []string{"test:Echo ", "test:Echo InvalidParameterException"}, calls)
	require.Panics(t, func() { Register(tab, "test:Echo", func(*echoIn) (*echoOut, error) { return nil, nil }) })
	require.Panics(t, func() { Register(tab, "NoService", func(*echoIn) (*echoOut, error) { return nil, nil }) })
}

func TestErrorShape(t *testing.T) {
	e := ClientException("Unable to describe task definition.")
	require.Equal(t, "ClientException: Unable to describe task definition.", e.Error())
	require.Equal(t, "client", e.ErrorFault())
	require.Equal(t, 400, e.HTTPStatus())
	s := ServerException("oops")
	require.Equal(t, "server", s.ErrorFault())
	require.Equal(t, 500, s.HTTPStatus())
	wrapped := errors.Join(errors.New("context"), e.At("family"))
	require.Equal(t, CodeClientException, ErrorCode(wrapped))
	require.Empty(t, ErrorCode(errors.New("plain")))
}

func TestTimestamp(t *testing.T) {
	ts := NewTimestamp(time.Date(2026, 1, 1, 0, 0, 1, 234567890, time.UTC))
	b, err := json.Marshal(ts)
	require.NoError(t, err)
	require.Equal(t, "1767225601.234", string(b))
	var back Timestamp
	require.NoError(t, json.Unmarshal(b, &back))
	require.True(t, back.Equal(ts.Time))
	require.Error(t, json.Unmarshal([]byte(`"yesterday"`), &back))
	require.Error(t, json.Unmarshal([]byte(`1e300`), &back))
}

// FuzzDecodeStrict: no input makes the strict decoder panic, and what it
// accepts re-encodes to JSON that it accepts again.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"x","items":[{"key":"a"}],"tags":{"a":"b"}}`, `{"Name":1}`, `[`, `{"when":"2026-01-01T00:00:00Z"}`, `{"raw":[1,{"A":2}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeStrict(data, reflectTypeOfEcho)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e))
			return
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		_, err = DecodeStrict(b, reflectTypeOfEcho)
		require.NoError(t, err, "re-encoded %s", b)
	})
}

func TestInputAndOutputType(t *testing.T) {
	tab := newTestTable(new([]string))
	in, ok := tab.InputType("test:Echo")
	require.True(t, ok)
	require.Equal(t, reflect.TypeFor[echoIn](), in)
	out, ok := tab.OutputType("test:Echo")
	require.True(t, ok)
	require.Equal(t, reflect.TypeFor[echoOut](), out)
	_, ok = tab.OutputType("test:Nothing")
	require.False(t, ok)
}
