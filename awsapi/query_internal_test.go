package awsapi

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

type queryAttr struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

type queryMatcher struct {
	HttpCode *string `json:"HttpCode,omitempty"`
}

type queryInput struct {
	Name       *string           `json:"Name,omitempty"`
	Port       *int32            `json:"Port,omitempty"`
	Enabled    *bool             `json:"Enabled,omitempty"`
	Weight     *float64          `json:"Weight,omitempty"`
	Names      []string          `json:"Names,omitempty"`
	Attributes []queryAttr       `json:"Attributes,omitempty"`
	Matcher    *queryMatcher     `json:"Matcher,omitempty"`
	Tags       map[string]string `json:"Tags,omitempty"`
	At         *api.Timestamp    `json:"At,omitempty"`
	Flat       []int64           `json:"Flat,omitempty" query:"Item,flat"`
}

type ec2Filter struct {
	Name   *string  `json:"Name,omitempty"`
	Values []string `json:"Values,omitempty" query:"Value"`
}

type ec2Input struct {
	SubnetIds []string    `json:"SubnetIds,omitempty" query:"SubnetId"`
	Filters   []ec2Filter `json:"Filters,omitempty" query:"Filter"`
	DryRun    *bool       `json:"DryRun,omitempty"`
}

func form(t *testing.T, s string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(s)
	require.NoError(t, err)
	return v
}

func TestDecodeQuery(t *testing.T) {
	for _, c := range []struct {
		name, form, want string
		ec2              bool
	}{
		{name: "scalars", form: "Action=X&Version=1&Name=web&Port=8080&Enabled=true&Weight=0.5",
			want: `{"Enabled":true,"Name":"web","Port":8080,"Weight":0.5}`},
		{name: "list in order of index", form: "Names.member.2=b&Names.member.1=a&Names.member.10=c",
			want: `{"Names":["a","b","c"]}`},
		{name: "empty list", form: "Names=", want: `{"Names":[]}`},
		{name: "list of structures", form: "Attributes.member.1.Key=k&Attributes.member.1.Value=v",
			want: `{"Attributes":[{"Key":"k","Value":"v"}]}`},
		{name: "nested structure", form: "Matcher.HttpCode=200-299", want: `{"Matcher":{"HttpCode":"200-299"}}`},
		{name: "map", form: "Tags.entry.1.key=team&Tags.entry.1.value=web&Tags.entry.2.key=env&Tags.entry.2.value=prod",
			want: `{"Tags":{"env":"prod","team":"web"}}`},
		{name: "timestamp", form: "At=2026-01-01T00:00:00Z", want: `{"At":"2026-01-01T00:00:00Z"}`},
		{name: "flat list with a wire name", form: "Item.1=7&Item.2=9", want: `{"Flat":[7,9]}`},
		{name: "ec2 flat lists", ec2: true, form: "Action=DescribeSubnets&SubnetId.1=subnet-1&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&DryRun=false",
			want: `{"DryRun":false,"Filters":[{"Name":"vpc-id","Values":["vpc-1","vpc-2"]}],"SubnetIds":["subnet-1"]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ := reflect.TypeFor[queryInput]()
			if c.ec2 {
				typ = reflect.TypeFor[ec2Input]()
			}
			got, err := decodeQuery(form(t, c.form), typ, c.ec2)
			require.NoError(t, err)
			require.JSONEq(t, c.want, string(got))
			_, err = api.DecodeStrict(got, typ)
			require.NoError(t, err, "the action table takes the decoded input")
		})
	}
}

func TestDecodeQueryRejects(t *testing.T) {
	for _, c := range []struct {
		name, form, code, msg string
		ec2                   bool
	}{
		{name: "unknown parameter", form: "Nmae=web", code: "ValidationError", msg: `"Nmae"`},
		{name: "unknown nested parameter", form: "Matcher.Code=200", code: "ValidationError", msg: `"Matcher.Code"`},
		{name: "ec2 unknown parameter", ec2: true, form: "Subnet.1=x", code: "UnknownParameter", msg: "Subnet"},
		{name: "not an integer", form: "Port=eighty", code: "ValidationError", msg: "'eighty' at 'Port'"},
		{name: "integer overflow", form: "Port=99999999999", code: "ValidationError", msg: "Port"},
		{name: "not a boolean", form: "Enabled=yes", code: "ValidationError", msg: "boolean"},
		{name: "not a number", form: "Weight=NaN", code: "ValidationError", msg: "number"},
		{name: "list without member", form: "Names.1=a", code: "ValidationError", msg: "Names.member.1"},
		{name: "index zero", form: "Names.member.0=a", code: "ValidationError", msg: "indexes"},
		{name: "index with a leading zero", form: "Names.member.01=a", code: "ValidationError", msg: "indexes"},
		{name: "scalar with members", form: "Name.x=a", code: "ValidationError", msg: "single value"},
		{name: "structure with a value", form: "Matcher=x", code: "ValidationError", msg: "structure"},
		{name: "empty segment", form: "Names..1=a", code: "ValidationError", msg: "empty segment"},
		{name: "repeated parameter", form: "Name=a&Name=b", code: "ValidationError", msg: "2 times"},
		{name: "map entry without value", form: "Tags.entry.1.key=a", code: "ValidationError", msg: "key and a value"},
		{name: "duplicate map key", form: "Tags.entry.1.key=a&Tags.entry.1.value=1&Tags.entry.2.key=a&Tags.entry.2.value=2", code: "ValidationError", msg: "twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ := reflect.TypeFor[queryInput]()
			if c.ec2 {
				typ = reflect.TypeFor[ec2Input]()
			}
			_, err := decodeQuery(form(t, c.form), typ, c.ec2)
			require.Error(t, err)
			require.Equal(t, c.code, api.ErrorCode(err))
			require.Contains(t, err.Error(), c.msg)
		})
	}
}

type queryOutputItem struct {
	Name    *string        `json:"Name,omitempty"`
	Created *api.Timestamp `json:"Created,omitempty"`
}

type queryOutput struct {
	Items   []queryOutputItem `json:"Items"`
	Count   int32             `json:"Count"`
	OK      bool              `json:"OK"`
	Labels  map[string]string `json:"Labels,omitempty"`
	Missing *string           `json:"Missing,omitempty"`
	Text    string            `json:"Text"`
}

func TestEncodeOutput(t *testing.T) {
	at := api.NewTimestamp(time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC))
	out := queryOutput{Items: []queryOutputItem{{Name: api.String("a"), Created: &at}, {Name: api.String("b")}},
		Count: 2, OK: true, Labels: map[string]string{"z": "1", "a": "2"}, Text: "<&>"}
	b, err := json.Marshal(out)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, encodeOutput(&buf, b, reflect.TypeFor[queryOutput](), false))
	require.Equal(t, `<Items><member><Name>a</Name><Created>2026-01-02T03:04:05.678Z</Created></member>`+
		`<member><Name>b</Name></member></Items><Count>2</Count><OK>true</OK>`+
		`<Labels><entry><key>a</key><value>2</value></entry><entry><key>z</key><value>1</value></entry></Labels>`+
		`<Text>&lt;&amp;&gt;</Text>`, buf.String())

	buf.Reset()
	require.NoError(t, encodeOutput(&buf, b, reflect.TypeFor[queryOutput](), true))
	require.Contains(t, buf.String(), `<items><item><name>a</name>`, "EC2 lists are <item>s and names are lower camel case")
}

// FuzzDecodeQuery feeds arbitrary forms to the decoder: it must never
// panic, and whatever it accepts the action table must accept too.
func FuzzDecodeQuery(f *testing.F) {
	for _, s := range []string{"Name=web&Port=80", "Names.member.1=a&Names.member.2=b", "Attributes.member.1.Key=k",
		"Tags.entry.1.key=a&Tags.entry.1.value=b", "Matcher.HttpCode=200", "Item.1=3", "Names=", "At=2026-01-01T00:00:00Z",
		"SubnetId.1=s&Filter.1.Name=n&Filter.1.Value.1=v", "Port=1e3", "%zz", "Names.member.99999999999=a"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, ec2 bool) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		typ := reflect.TypeFor[queryInput]()
		if ec2 {
			typ = reflect.TypeFor[ec2Input]()
		}
		b, err := decodeQuery(v, typ, ec2)
		if err != nil {
			require.NotEqual(t, api.CodeServerException, api.ErrorCode(err), "%q: %v", raw, err)
			return
		}
		_, err = api.DecodeStrict(b, typ)
		if err != nil {
			// Only a timestamp's text is left to the action table.
			require.Contains(t, err.Error(), "timestamp", "%q gave %s: %v", raw, b, err)
		}
	})
}
