package workload

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// pts builds points from alternating durations and rates.
func pts(args ...any) []StepPoint {
	var out []StepPoint
	for i := 0; i < len(args); i += 2 {
		out = append(out, StepPoint{At: args[i].(time.Duration), RPS: float64(args[i+1].(int))})
	}
	return out
}

func TestShapeRate(t *testing.T) {
	const h, m, s, ns = time.Hour, time.Minute, time.Second, time.Nanosecond
	steps := Steps(pts(0*s, 10, 1*h, 50, 3*h, 0))
	late := Steps(pts(30*m, 5))
	diurnal := Diurnal(20, 200, 14*h)
	spike := Spike(50, 500, 2*h, 10*m)
	replay := Replay(pts(0*s, 0, 10*s, 100, 20*s, 50))
	lateReplay := Replay(pts(10*s, 40, 20*s, 40))
	tests := []struct {
		name  string
		shape Shape
		t     time.Duration
		want  float64
	}{
		{"zero shape", Shape{}, time.Hour, 0},
		{"constant", Constant(100), 0, 100},
		{"constant later", Constant(100), 1000 * h, 100},
		{"constant before start", Constant(100), -s, 100},

		{"steps before first", steps, -ns, 0},
		{"steps at first", steps, 0, 10},
		{"steps just before second", steps, h - ns, 10},
		{"steps exactly at second", steps, h, 50},
		{"steps between", steps, 2 * h, 50},
		{"steps at last", steps, 3 * h, 0},
		{"steps long after", steps, 1000 * h, 0},
		{"steps late start, before", late, 30*m - ns, 0},
		{"steps late start, at", late, 30 * m, 5},
		{"steps empty", Steps(nil), h, 0},

		// Diurnal(20, 200, 14h): 200 at 14:00, 20 at 02:00, 110 at 08:00
		// and 20:00; every day the same.
		{"diurnal peak", diurnal, 14 * h, 200},
		{"diurnal trough", diurnal, 2 * h, 20},
		{"diurnal rising midpoint", diurnal, 8 * h, 110},
		{"diurnal falling midpoint", diurnal, 20 * h, 110},
		{"diurnal midnight", diurnal, 0, 110 - 90*math.Cos(math.Pi/6)},
		{"diurnal next day's peak", diurnal, 38 * h, 200},
		{"diurnal next day's trough", diurnal, 26 * h, 20},
		{"diurnal a year on", diurnal, 365*24*h + 14*h, 200},
		{"diurnal before start", diurnal, -10 * h, 200},
		{"diurnal 3h after peak", Diurnal(0, 100, 0), 3 * h, 50 + 50*math.Cos(math.Pi/4)},
		{"diurnal swapped", Diurnal(200, 20, 14*h), 2 * h, 20},
		{"diurnal peak taken mod 24h", Diurnal(20, 200, 38*h), 14 * h, 200},
		{"diurnal negative peak", Diurnal(20, 200, -10*h), 14 * h, 200},
		{"diurnal flat", Diurnal(50, 50, 3*h), 7 * h, 50},

		{"spike before", spike, 0, 50},
		{"spike just before start", spike, 2*h - ns, 50},
		{"spike start inclusive", spike, 2 * h, 500},
		{"spike inside", spike, 2*h + 5*m, 500},
		{"spike just before end", spike, 2*h + 10*m - ns, 500},
		{"spike end exclusive", spike, 2*h + 10*m, 50},
		{"spike long after", spike, 100 * h, 50},
		{"spike zero length", Spike(50, 500, h, 0), h, 50},
		{"spike dip", Spike(50, 0, h, m), h, 0},
		{"spike to the end of time", Spike(1, 2, h, math.MaxInt64), math.MaxInt64, 2},

		{"replay before first", replay, -ns, 0},
		{"replay at first", replay, 0, 0},
		{"replay halfway up", replay, 5 * s, 50},
		{"replay a quarter up", replay, 2500 * time.Millisecond, 25},
		{"replay at a point", replay, 10 * s, 100},
		{"replay halfway down", replay, 15 * s, 75},
		{"replay at last", replay, 20 * s, 50},
		{"replay holds the last", replay, 1000 * h, 50},
		{"replay late start, before", lateReplay, 10*s - ns, 0},
		{"replay late start, at", lateReplay, 10 * s, 40},
		{"replay one point", Replay(pts(m, 7)), h, 7},
		{"replay empty", Replay(nil), h, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, tc.shape.Rate(tc.t), 1e-9)
		})
	}
}

func TestShapeRateExact(t *testing.T) {
	// The extremes of a diurnal are exact, not merely close.
	d := Diurnal(20, 200, 14*time.Hour)
	require.Equal(t, 200.0, d.Rate(14*time.Hour))
	require.Equal(t, 20.0, d.Rate(2*time.Hour))
	// So are step values and interpolation at a point.
	require.Equal(t, 50.0, Steps(pts(0*time.Second, 10, time.Hour, 50)).Rate(time.Hour))
	require.Equal(t, 100.0, Replay(pts(0*time.Second, 0, 10*time.Second, 100, 20*time.Second, 50)).Rate(10*time.Second))
}

func TestShapeConstructorsNormalise(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name  string
		got   Shape
		want  string
		equal *Shape // when set, got must equal it
	}{
		{"zero is constant(0)", Shape{}, "constant(0)", shapePtr(Constant(0))},
		{"negative constant", Constant(-5), "constant(0)", shapePtr(Shape{})},
		{"NaN constant", Constant(nan), "constant(0)", shapePtr(Shape{})},
		{"Inf constant", Constant(inf), "constant(0)", shapePtr(Shape{})},
		{"negative zero", Constant(math.Copysign(0, -1)), "constant(0)", shapePtr(Shape{})},
		{"steps sorted", Steps(pts(time.Hour, 50, 0*time.Second, 10)), "steps(0s:10,1h:50)", nil},
		{"steps duplicate: last wins", Steps(pts(time.Hour, 50, 0*time.Second, 10, time.Hour, 60)), "steps(0s:10,1h:60)", nil},
		{"steps negative time and rate", Steps([]StepPoint{{At: -time.Hour, RPS: -1}, {At: time.Hour, RPS: nan}}), "steps(0s:0,1h:0)", nil},
		{"steps empty slice", Steps([]StepPoint{}), "steps()", shapePtr(Steps(nil))},
		{"diurnal swapped", Diurnal(200, 20, 14*time.Hour), "diurnal(20,200,14h)", shapePtr(Diurnal(20, 200, 14*time.Hour))},
		{"diurnal peak mod 24h", Diurnal(20, 200, 38*time.Hour), "diurnal(20,200,14h)", shapePtr(Diurnal(20, 200, 14*time.Hour))},
		{"diurnal negative peak", Diurnal(20, 200, -10*time.Hour), "diurnal(20,200,14h)", shapePtr(Diurnal(20, 200, 14*time.Hour))},
		{"diurnal negative min", Diurnal(-20, 200, 0), "diurnal(0,200,0s)", nil},
		{"spike negatives", Spike(-1, -2, -time.Hour, -time.Minute), "spike(0,0,0s,0s)", nil},
		{"replay sorted", Replay(pts(10*time.Second, 1, 0*time.Second, 2)), "replay(2 points from 0s to 10s)", shapePtr(Replay(pts(0*time.Second, 2, 10*time.Second, 1)))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.got.String())
			if !strings.HasPrefix(tc.want, "replay") {
				back, err := ParseShape(tc.got.String())
				require.NoError(t, err)
				require.Equal(t, tc.got, back, "String round-trips")
			}
			if tc.equal != nil {
				require.Equal(t, *tc.equal, tc.got)
			}
		})
	}
}

func shapePtr(s Shape) *Shape { return &s }

func TestShapeCopiesPoints(t *testing.T) {
	in := pts(0*time.Second, 10, time.Hour, 50)
	s, r := Steps(in), Replay(in)
	in[0].RPS, in[1].At = 99, time.Minute // the caller's slice, not the shape's
	require.Equal(t, "steps(0s:10,1h:50)", s.String())
	require.Equal(t, 10.0, r.Rate(0))
	require.Equal(t, 50.0, r.Rate(time.Hour))
}

func TestParseShape(t *testing.T) {
	tests := []struct {
		in   string
		want Shape
		str  string
	}{
		{"100", Constant(100), "constant(100)"},
		{" 2.5 ", Constant(2.5), "constant(2.5)"},
		{"constant(100)", Constant(100), "constant(100)"},
		{" Constant ( 2.5 ) ", Constant(2.5), "constant(2.5)"},
		{"constant(0)", Shape{}, "constant(0)"},
		{"constant(-0)", Shape{}, "constant(0)"},
		{"constant(1e3)", Constant(1000), "constant(1000)"},
		{"constant(1000000)", Constant(1e6), "constant(1000000)"},
		{"constant(0.000001)", Constant(1e-6), "constant(0.000001)"},
		{"constant(1e-7)", Constant(1e-7), "constant(1e-07)"},
		{"constant(1e21)", Constant(1e21), "constant(1e+21)"},
		{"constant(1.7976931348623157e308)", Constant(math.MaxFloat64), "constant(1.7976931348623157e+308)"},
		{"constant(1e-400)", Shape{}, "constant(0)"},
		{"steps(0s:10,1h:50)", Steps(pts(0*time.Second, 10, time.Hour, 50)), "steps(0s:10,1h:50)"},
		{"STEPS( 0 : 10 , 1h30m:50, 3h : 0 )", Steps(pts(0*time.Second, 10, 90*time.Minute, 50, 3*time.Hour, 0)), "steps(0s:10,1h30m:50,3h:0)"},
		{"steps(90m:5)", Steps(pts(90*time.Minute, 5)), "steps(1h30m:5)"},
		{"steps(1.5:5)", Steps(pts(1500*time.Millisecond, 5)), "steps(1.5s:5)"},
		{"steps()", Steps(nil), "steps()"},
		{"steps( )", Steps(nil), "steps()"},
		{"diurnal(20,200,14h)", Diurnal(20, 200, 14*time.Hour), "diurnal(20,200,14h)"},
		{"Diurnal( 20 , 200 , 14h0m0s )", Diurnal(20, 200, 14*time.Hour), "diurnal(20,200,14h)"},
		{"diurnal(0,0,0)", Diurnal(0, 0, 0), "diurnal(0,0,0s)"},
		{"diurnal(1,2,23h59m59.999999999s)", Diurnal(1, 2, 24*time.Hour-1), "diurnal(1,2,23h59m59.999999999s)"},
		{"diurnal(5,5,12h30m)", Diurnal(5, 5, 12*time.Hour+30*time.Minute), "diurnal(5,5,12h30m)"},
		{"spike(50,500,2h,10m)", Spike(50, 500, 2*time.Hour, 10*time.Minute), "spike(50,500,2h,10m)"},
		{"spike(50,500,7200,600)", Spike(50, 500, 2*time.Hour, 10*time.Minute), "spike(50,500,2h,10m)"},
		{"spike(5,0,1h,0s)", Spike(5, 0, time.Hour, 0), "spike(5,0,1h,0s)"},
		{"spike(1,2,500ms,1.5s)", Spike(1, 2, 500*time.Millisecond, 1500*time.Millisecond), "spike(1,2,500ms,1.5s)"},
		{"spike(0.5,1,1h0m1s,1m0.5s)", Spike(0.5, 1, time.Hour+time.Second, time.Minute+500*time.Millisecond), "spike(0.5,1,1h0m1s,1m0.5s)"},
		{"spike(1,2,0s,2562047h47m16.854775807s)", Spike(1, 2, 0, math.MaxInt64), "spike(1,2,0s,2562047h47m16.854775807s)"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseShape(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.str, got.String())
			back, err := ParseShape(got.String())
			require.NoError(t, err)
			require.Equal(t, got, back, "String round-trips")
		})
	}
}

func TestParseShapeErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"", `invalid traffic shape "": empty; want a form such as constant(100) or diurnal(20,200,14h)`},
		{"   ", "empty"},
		{"abc", `"abc" is neither a number of requests per second nor a form such as constant(100)`},
		{"100rps", `"100rps" is neither a number`},
		{"-5", "-5 is negative"},
		{"inf", `"inf" is not a finite number`},
		{"NaN", `"NaN" is not a number`},
		{"1e400", "1e400 is out of range"},
		{"constant(100", `missing ")" at the end`},
		{"constant 100)", `")" without "("`},
		{"(100)", `missing shape name before "("`},
		{"sine(1)", `unknown shape "sine"; want constant, steps, diurnal or spike (a replay comes from a CSV file)`},
		{"replay(0:1,1:2)", `a replay is read from a CSV file of "seconds,rps" lines, not written inline; give it as a CSV file`},
		{" Replay (", "a replay is read from a CSV file"},
		{"replay(3 points from 0s to 1h)", "a replay is read from a CSV file"},
		{"constant()", "constant takes 1 argument (rps), got 0"},
		{"constant(1,2)", "constant takes 1 argument (rps), got 2"},
		{"constant(-1)", "rps: -1 is negative"},
		{"constant(x)", `rps: "x" is not a number`},
		{"constant(Inf)", `rps: "Inf" is not a finite number`},
		{"constant(1e999)", "rps: 1e999 is out of range"},
		{"constant(1,)", "constant takes 1 argument (rps), got 2"},
		{"steps(1h)", `point 1: "1h" is not time:rps, such as 1h:50`},
		{"steps(,)", `point 1: "" is not time:rps`},
		{"steps(0:1,0:2)", "point 2: time 0 is not after 0; times must increase"},
		{"steps(1h:1, 30m:2)", "point 2: time 30m is not after 1h; times must increase"},
		{"steps(1h:1,3600:2)", "point 2: time 3600 is not after 1h"},
		{"steps(-1s:1)", "point 1: time: -1s is negative"},
		{"steps(1h:-1)", "point 1: rps: -1 is negative"},
		{"steps(1h:)", "point 1: rps: missing rate"},
		{"steps(:5)", "point 1: time: missing duration"},
		{"steps(1x:5)", `point 1: time: "1x" is not a duration`},
		{"steps(0:1:2)", `point 1: rps: "1:2" is not a number`},
		{"diurnal(200,20,14h)", "min 200 is greater than max 20"},
		{"diurnal(20,200,24h)", "peak: 24h is not a time of day; want 0s up to, not including, 24h"},
		{"diurnal(20,200,38h)", "peak: 38h is not a time of day"},
		{"diurnal(20,200,-1h)", "peak: -1h is negative"},
		{"diurnal(20,200)", "diurnal takes 3 arguments (min, max, peak), got 2"},
		{"diurnal(-1,200,1h)", "min: -1 is negative"},
		{"diurnal(1,x,1h)", `max: "x" is not a number`},
		{"spike(1,2,3h)", "spike takes 4 arguments (base, peak, at, length), got 3"},
		{"spike(1,2,3h,-1m)", "length: -1m is negative"},
		{"spike(1,2,soon,1m)", `at: "soon" is not a duration such as 8s, 1m30s or 250ms`},
		{"spike(-1,2,1h,1m)", "base: -1 is negative"},
		{"spike(1,NaN,1h,1m)", `peak: "NaN" is not a number`},
		{"constant((1))", "nested parentheses"},
		{"constant(1))", "nested parentheses"},
		{"constant(1)x", `missing ")" at the end`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseShape(tc.in)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.wantErr)
			require.Contains(t, err.Error(), `invalid traffic shape "`, "the input is quoted")
		})
	}
}

func TestReplayHasNoTextForm(t *testing.T) {
	tests := []struct {
		shape Shape
		str   string
	}{
		{Replay(nil), "replay(0 points)"},
		{Replay(pts(time.Minute, 5)), "replay(1 point at 1m)"},
		{Replay(pts(0*time.Second, 5, time.Minute, 6, 23*time.Hour+59*time.Minute, 7)), "replay(3 points from 0s to 23h59m)"},
	}
	for _, tc := range tests {
		t.Run(tc.str, func(t *testing.T) {
			require.Equal(t, tc.str, tc.shape.String())
			_, err := ParseShape(tc.shape.String())
			require.ErrorContains(t, err, "a replay is read from a CSV file")

			_, err = tc.shape.MarshalText()
			require.EqualError(t, err, "traffic shape "+tc.str+" has no text form; a replay is read from a CSV file")
			_, err = json.Marshal(tc.shape)
			require.ErrorContains(t, err, "has no text form")
			_, err = json.Marshal(Traffic{Shape: tc.shape})
			require.ErrorContains(t, err, "has no text form")
		})
	}
}

func TestShapeJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Shape
		wantErr string
	}{
		{`"diurnal(20,200,14h)"`, Diurnal(20, 200, 14*time.Hour), ""},
		{`" spike( 50, 500, 2h, 10m ) "`, Spike(50, 500, 2*time.Hour, 10*time.Minute), ""},
		{`"steps(0s:10,1h:50)"`, Steps(pts(0*time.Second, 10, time.Hour, 50)), ""},
		{`100`, Constant(100), ""},
		{`2.5`, Constant(2.5), ""},
		{`0`, Shape{}, ""},
		{` "constant(7)" `, Constant(7), ""},
		{`-1`, Shape{}, "invalid traffic shape: -1 is negative"},
		{`1e400`, Shape{}, "invalid traffic shape: 1e400 is out of range"},
		{`"bogus"`, Shape{}, `invalid traffic shape "bogus"`},
		{`"replay(0:1)"`, Shape{}, "a replay is read from a CSV file"},
		{`true`, Shape{}, `traffic shape must be a string such as "diurnal(20,200,14h)" or a number of requests per second, not true`},
		{`{}`, Shape{}, "number of requests per second, not {}"},
		{`[1]`, Shape{}, "not [1]"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var s Shape
			err := json.Unmarshal([]byte(tc.in), &s)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Equal(t, Shape{}, s, "a rejected document changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, s)
			b, err := json.Marshal(s)
			require.NoError(t, err)
			var back Shape
			require.NoError(t, json.Unmarshal(b, &back), string(b))
			require.Equal(t, s, back, string(b))
		})
	}

	// null leaves the value alone.
	s := Constant(3)
	require.NoError(t, json.Unmarshal([]byte(`null`), &s))
	require.Equal(t, Constant(3), s)

	// Marshal gives the string form.
	b, err := json.Marshal(map[string]Shape{"a": Diurnal(20, 200, 14*time.Hour), "b": {}, "c": Spike(50, 500, 2*time.Hour, 10*time.Minute)})
	require.NoError(t, err)
	require.JSONEq(t, `{"a":"diurnal(20,200,14h)","b":"constant(0)","c":"spike(50,500,2h,10m)"}`, string(b))
}

func TestShapeText(t *testing.T) {
	var s Shape
	require.NoError(t, s.UnmarshalText([]byte("diurnal(20,200,14h)")))
	require.Equal(t, Diurnal(20, 200, 14*time.Hour), s)
	b, err := s.MarshalText()
	require.NoError(t, err)
	require.Equal(t, "diurnal(20,200,14h)", string(b))
	require.Error(t, s.UnmarshalText([]byte("diurnal(")))
	require.Equal(t, Diurnal(20, 200, 14*time.Hour), s, "a failed parse changes nothing")
}

func TestShapeYAML(t *testing.T) {
	type doc struct {
		Shape Shape `yaml:"shape"`
	}
	b, err := yaml.Marshal(doc{Spike(50, 500, 2*time.Hour, 10*time.Minute)})
	require.NoError(t, err)
	require.Equal(t, "shape: spike(50,500,2h,10m)\n", string(b))
	var d doc
	require.NoError(t, yaml.Unmarshal(b, &d))
	require.Equal(t, Spike(50, 500, 2*time.Hour, 10*time.Minute), d.Shape)

	// A bare YAML number is a constant rate, as in JSON.
	require.NoError(t, yaml.Unmarshal([]byte("shape: 100\n"), &d))
	require.Equal(t, Constant(100), d.Shape)

	err = yaml.Unmarshal([]byte("shape: diurnal(200,20,14h)\n"), &d)
	require.ErrorContains(t, err, `invalid traffic shape "diurnal(200,20,14h)": min 200 is greater than max 20`)
}

func TestParseReplayCSV(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name string
		in   string
		want []StepPoint
	}{
		{"plain", "0,10\n60,20\n", pts(0*s, 10, 60*s, 20)},
		{"no final newline", "0,10\n60,20", pts(0*s, 10, 60*s, 20)},
		{"header", "seconds,rps\n0,10\n", pts(0*s, 10)},
		{"other header", "time , requests per second\n5,1\n", pts(5*s, 1)},
		{"BOM and CRLF", "\uFEFFseconds,rps\r\n0,10\r\n90.5,20\r\n", []StepPoint{{0, 10}, {90500 * time.Millisecond, 20}}},
		{"BOM without header", "\uFEFF0,1\n", pts(0*s, 1)},
		{"comments, blank lines and spaces", "# a trace\n\n0,1\n\n  10 , 2 \n# end\n", pts(0*s, 1, 10*s, 2)},
		{"quoted", "\"seconds\",\"rps\"\n\"0\",\"5\"\n", pts(0*s, 5)},
		{"decimals exact", "0.1,1.5\n", []StepPoint{{100 * time.Millisecond, 1.5}}},
		{"exponent", "1e3,5\n", pts(1000*s, 5)},
		{"negative zero", "-0,-0\n", pts(0*s, 0)},
		{"late start", "3600,7\n", pts(3600*s, 7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseReplayCSV(strings.NewReader(tc.in))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, Replay(got), Replay(tc.want))
		})
	}
}

func TestParseReplayCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"empty", "", `replay CSV: no points; want lines of "seconds,rps" such as 0,100`},
		{"header only", "seconds,rps\n", "replay CSV: no points"},
		{"comments only", "# nothing\n\n", "replay CSV: no points"},
		{"one field", "0,10\n60\n", "replay CSV: line 2: want 2 fields, seconds,rps; got 1"},
		{"three fields", "0,10,5\n", "replay CSV: line 1: want 2 fields, seconds,rps; got 3"},
		{"three-field header", "a,b,c\n0,1\n", "replay CSV: line 1: want 2 fields"},
		{"bad seconds", "0,10\nabc,5\n", `replay CSV: line 2: seconds: "abc" is not a number of seconds`},
		{"bad first seconds is not a header", "abc,5\n", `replay CSV: line 1: seconds: "abc" is not a number of seconds`},
		{"duration is not seconds", "1h,5\n", `replay CSV: line 1: seconds: "1h" is not a number of seconds`},
		{"missing seconds", ",5\n", "replay CSV: line 1: seconds: missing"},
		{"negative seconds", "0,10\n-5,3\n", "replay CSV: line 2: seconds: -5 is negative"},
		{"huge seconds", "1e30,5\n", "replay CSV: line 1: seconds: 1e30 seconds is out of range"},
		{"negative rps", "0,10\n5,-3\n", "replay CSV: line 2: rps: -3 is negative"},
		{"infinite rps", "0,10\n5,inf\n", `replay CSV: line 2: rps: "inf" is not a finite number`},
		{"missing rps", "0,\n", "replay CSV: line 1: rps: missing rate"},
		{"bad rps", "0,1\n# c\n\n5,x\n", `replay CSV: line 4: rps: "x" is not a number`},
		{"second header", "seconds,rps\nseconds,rps\n", `replay CSV: line 2: seconds: "seconds" is not a number of seconds`},
		{"going back", "0,1\n60,2\n30,3\n", "replay CSV: line 3: seconds 30 is not after 60 on line 2; times must increase"},
		{"repeated time", "0,1\n0.0,2\n", "replay CSV: line 2: seconds 0.0 is not after 0 on line 1; times must increase"},
		{"going back after a gap", "0,1\n\n# x\n60,2\n\n60,3\n", "replay CSV: line 6: seconds 60 is not after 60 on line 4"},
		{"bad quote", "0,1\n5,\"2\n", "replay CSV: line 2: extraneous or missing \" in quoted-field"},
		{"bare quote", "0,1\n5,2\"\n", "replay CSV: line 2: bare \" in non-quoted-field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseReplayCSV(strings.NewReader(tc.in))
			require.ErrorContains(t, err, tc.wantErr)
			require.Nil(t, got)
		})
	}

	// A failing reader: its error comes through.
	boom := errors.New("boom")
	_, err := ParseReplayCSV(iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
	require.EqualError(t, err, "replay CSV: boom")
}

func TestTrafficUtilization(t *testing.T) {
	web := Traffic{Shape: Constant(200), CPUPerRequest: 20 * time.Millisecond, MemoryBaseMiB: 100, MemoryPerRPSMiB: 0.5}
	tests := []struct {
		name                   string
		tr                     Traffic
		t                      time.Duration
		n, taskCPU, taskMemory int
		cpu, mem               float64
		ok                     bool
	}{
		// The worked example: 200 rps × 20 ms = 4 vCPU-seconds per
		// second = 4,096 CPU units for the service. Over 8 tasks that is
		// 25 rps and 512 units each, 200% of a 256-unit task: capped at
		// 100, the task-level cpu being a hard limit. Memory: 100 MiB +
		// 25 rps × 0.5 MiB = 112.5 MiB of 512 = 21.97265625%.
		{"worked example, CPU capped", web, 0, 8, 256, 512, 100, 21.97265625, true},
		// Twice the tasks, twice their size: 12.5 rps each, 256 units of
		// 512 = 50%; 100 + 6.25 = 106.25 MiB of 1,024 = 10.3759765625%.
		{"worked example, scaled out", web, 0, 16, 512, 1024, 50, 10.3759765625, true},
		// 4,096 units over 4 tasks of 1,024: exactly full.
		{"exactly 100", web, 0, 4, 1024, 2048, 100, (100 + 25) * 100 / 2048.0, true},
		{"one task", web, 0, 1, 8192, 1024, 50, (100 + 100) * 100 / 1024.0, true},
		{"memory above the reservation is not capped", Traffic{Shape: Constant(10), MemoryBaseMiB: 600}, 0, 2, 256, 512, 0, 117.1875, true},
		{"idle", Traffic{Shape: Constant(0), CPUPerRequest: time.Second, MemoryBaseMiB: 256}, 0, 3, 256, 512, 0, 50, true},
		{"zero traffic", Traffic{}, time.Hour, 1, 256, 512, 0, 0, true},

		// Load follows the shape: a spike of 1,000 rps × 10 ms on 10
		// tasks of 1,024 units is 1 vCPU each, 100%; before it, 100 rps
		// is 10%.
		{"before the spike", Traffic{Shape: Spike(100, 1000, time.Hour, 10*time.Minute), CPUPerRequest: 10 * time.Millisecond}, 0, 10, 1024, 2048, 10, 0, true},
		{"during the spike", Traffic{Shape: Spike(100, 1000, time.Hour, 10*time.Minute), CPUPerRequest: 10 * time.Millisecond}, time.Hour, 10, 1024, 2048, 100, 0, true},

		{"no tasks", web, 0, 0, 256, 512, 0, 0, false},
		{"negative tasks", web, 0, -1, 256, 512, 0, 0, false},
		{"no CPU size", web, 0, 2, 0, 512, 0, 0, false},
		{"no memory size", web, 0, 2, 256, 0, 0, 0, false},

		{"invalid costs count as 0", Traffic{Shape: Constant(100), CPUPerRequest: -time.Millisecond, MemoryBaseMiB: -5, MemoryPerRPSMiB: math.NaN()}, 0, 1, 256, 512, 0, 0, true},
		{"infinite memory cost", Traffic{Shape: Constant(100), MemoryBaseMiB: math.Inf(1), MemoryPerRPSMiB: 1}, 0, 1, 256, 512, 0, 100 * 100 / 512.0, true},
		{"enormous load stays finite", Traffic{Shape: Constant(math.MaxFloat64), CPUPerRequest: time.Hour, MemoryPerRPSMiB: math.MaxFloat64}, 0, 1, 256, 512, 100, math.MaxFloat64, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cpu, mem, ok := tc.tr.Utilization(tc.t, tc.n, tc.taskCPU, tc.taskMemory)
			require.Equal(t, tc.ok, ok)
			require.InDelta(t, tc.cpu, cpu, 1e-9, "cpu")
			require.InDelta(t, tc.mem, mem, 1e-9, "memory")
		})
	}
}

func TestTrafficUtilizationExact(t *testing.T) {
	// Round figures come out exact: the arithmetic multiplies before it
	// divides.
	web := Traffic{Shape: Constant(200), CPUPerRequest: 20 * time.Millisecond, MemoryBaseMiB: 100, MemoryPerRPSMiB: 0.5}
	cpu, mem, ok := web.Utilization(0, 16, 512, 1024)
	require.True(t, ok)
	require.Equal(t, 50.0, cpu)
	require.Equal(t, 10.3759765625, mem)

	// Over a diurnal day CPU tracks the rate: at the peak 200 rps × 20 ms
	// on 10 tasks of 1,024 units is 40%, at the trough 20 rps is 4%.
	day := Traffic{Shape: Diurnal(20, 200, 14*time.Hour), CPUPerRequest: 20 * time.Millisecond}
	cpu, _, _ = day.Utilization(14*time.Hour, 10, 1024, 2048)
	require.InDelta(t, 40, cpu, 1e-9)
	cpu, _, _ = day.Utilization(26*time.Hour, 10, 1024, 2048)
	require.InDelta(t, 4, cpu, 1e-9)
}

func TestTrafficJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Traffic
		wantErr string
	}{
		{"all fields", `{"shape":"diurnal(20,200,14h)","cpuPerRequest":"20ms","memoryBaseMiB":200,"memoryPerRpsMiB":2.5}`,
			Traffic{Shape: Diurnal(20, 200, 14*time.Hour), CPUPerRequest: 20 * time.Millisecond, MemoryBaseMiB: 200, MemoryPerRPSMiB: 2.5}, ""},
		{"required only", `{"shape":"constant(100)","cpuPerRequest":"20ms"}`, Traffic{Shape: Constant(100), CPUPerRequest: 20 * time.Millisecond}, ""},
		{"shape as a number", `{"shape":100,"cpuPerRequest":"1.5ms"}`, Traffic{Shape: Constant(100), CPUPerRequest: 1500 * time.Microsecond}, ""},
		{"zero cost", `{"shape":"steps(0s:1)","cpuPerRequest":"0"}`, Traffic{Shape: Steps(pts(0*time.Second, 1))}, ""},
		{"spaces in the duration", `{"shape":"1","cpuPerRequest":" 20ms "}`, Traffic{Shape: Constant(1), CPUPerRequest: 20 * time.Millisecond}, ""},
		{"null memory", `{"shape":"1","cpuPerRequest":"1ms","memoryBaseMiB":null}`, Traffic{Shape: Constant(1), CPUPerRequest: time.Millisecond}, ""},

		{"unknown field", `{"shape":"1","cpuPerRequest":"1ms","memoryPerRequestMiB":1}`, Traffic{}, `traffic: unknown field "memoryPerRequestMiB"; known fields are shape, cpuPerRequest, memoryBaseMiB, memoryPerRpsMiB`},
		{"wrong case", `{"shape":"1","CPUPerRequest":"1ms"}`, Traffic{}, `unknown field "CPUPerRequest"`},
		{"several unknown, sorted", `{"zz":1,"aa":2,"shape":"1"}`, Traffic{}, `unknown field "aa", "zz";`},
		{"missing shape", `{"cpuPerRequest":"20ms"}`, Traffic{}, `traffic: shape is missing; want, for example, {"shape": "constant(100)", "cpuPerRequest": "20ms"}`},
		{"null shape", `{"shape":null,"cpuPerRequest":"20ms"}`, Traffic{}, "traffic: shape is missing"},
		{"missing cpuPerRequest", `{"shape":"constant(100)"}`, Traffic{}, "traffic: cpuPerRequest is missing"},
		{"number cpuPerRequest", `{"shape":"1","cpuPerRequest":20}`, Traffic{}, `traffic: cpuPerRequest: want a duration string such as "20ms", not 20`},
		{"unitless cpuPerRequest", `{"shape":"1","cpuPerRequest":"20"}`, Traffic{}, `traffic: cpuPerRequest: "20" is not a Go duration such as "20ms"`},
		{"negative cpuPerRequest", `{"shape":"1","cpuPerRequest":"-5ms"}`, Traffic{}, "traffic: cpuPerRequest -5ms is negative"},
		{"negative memoryBaseMiB", `{"shape":"1","cpuPerRequest":"1ms","memoryBaseMiB":-1}`, Traffic{}, "traffic: memoryBaseMiB -1 is negative"},
		{"negative memoryPerRpsMiB", `{"shape":"1","cpuPerRequest":"1ms","memoryPerRpsMiB":-0.5}`, Traffic{}, "traffic: memoryPerRpsMiB -0.5 is negative"},
		{"string memory", `{"shape":"1","cpuPerRequest":"1ms","memoryPerRpsMiB":"2"}`, Traffic{}, "traffic: memoryPerRpsMiB: want a number, not string"},
		{"huge memory", `{"shape":"1","cpuPerRequest":"1ms","memoryBaseMiB":1e400}`, Traffic{}, "traffic: memoryBaseMiB: 1e400 is out of range"},
		{"bad shape", `{"shape":"diurnal(1)","cpuPerRequest":"1ms"}`, Traffic{}, `traffic: shape: invalid traffic shape "diurnal(1)": diurnal takes 3 arguments (min, max, peak), got 1`},
		{"replay shape", `{"shape":"replay(0:1)","cpuPerRequest":"1ms"}`, Traffic{}, "traffic: shape: invalid traffic shape \"replay(0:1)\": a replay is read from a CSV file"},
		{"negative shape", `{"shape":-3,"cpuPerRequest":"1ms"}`, Traffic{}, "traffic: shape: invalid traffic shape: -3 is negative"},
		{"shape type", `{"shape":true,"cpuPerRequest":"1ms"}`, Traffic{}, "traffic: shape: traffic shape must be a string"},
		{"not an object", `[]`, Traffic{}, "traffic must be a JSON object"},
		{"string", `"constant(1)"`, Traffic{}, "traffic must be a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tr Traffic
			err := json.Unmarshal([]byte(tc.in), &tr)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Equal(t, Traffic{}, tr, "a rejected document changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, tr)
			require.NoError(t, tr.Validate())

			// Marshal and decode again: the same Traffic.
			b, err := json.Marshal(tr)
			require.NoError(t, err)
			var back Traffic
			require.NoError(t, json.Unmarshal(b, &back), string(b))
			require.Equal(t, tr, back, string(b))
		})
	}

	// null leaves the traffic alone.
	tr := Traffic{MemoryBaseMiB: 3}
	require.NoError(t, json.Unmarshal([]byte(`null`), &tr))
	require.Equal(t, Traffic{MemoryBaseMiB: 3}, tr)
}

func TestTrafficMarshal(t *testing.T) {
	tests := []struct {
		name    string
		tr      Traffic
		want    string
		wantErr string
	}{
		{"zero", Traffic{}, `{"shape":"constant(0)","cpuPerRequest":"0s"}`, ""},
		{"all fields", Traffic{Shape: Diurnal(20, 200, 14*time.Hour), CPUPerRequest: 20 * time.Millisecond, MemoryBaseMiB: 200, MemoryPerRPSMiB: 2},
			`{"shape":"diurnal(20,200,14h)","cpuPerRequest":"20ms","memoryBaseMiB":200,"memoryPerRpsMiB":2}`, ""},
		{"long cost", Traffic{Shape: Constant(1), CPUPerRequest: time.Hour}, `{"shape":"constant(1)","cpuPerRequest":"1h"}`, ""},
		{"negative cost", Traffic{CPUPerRequest: -time.Millisecond}, "", "traffic: cpuPerRequest -1ms is negative"},
		{"NaN memory", Traffic{MemoryBaseMiB: math.NaN()}, "", "traffic: memoryBaseMiB NaN is not a finite number"},
		{"infinite memory", Traffic{MemoryPerRPSMiB: math.Inf(1)}, "", "traffic: memoryPerRpsMiB +Inf is not a finite number"},
		{"replay", Traffic{Shape: Replay(pts(0*time.Second, 1))}, "", "traffic shape replay(1 point at 0s) has no text form"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.tr)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(b))
		})
	}
}

func TestTrafficInStruct(t *testing.T) {
	// Traffic nests in scenario documents; errors surface through them.
	var doc struct {
		Services map[string]Traffic `json:"services"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"services":{"web":{"shape":"spike(50,500,2h,10m)","cpuPerRequest":"20ms"}}}`), &doc))
	require.Equal(t, Spike(50, 500, 2*time.Hour, 10*time.Minute), doc.Services["web"].Shape)
	err := json.Unmarshal([]byte(`{"services":{"web":{"shape":"1","cpuPerRequst":"20ms"}}}`), &doc)
	require.ErrorContains(t, err, `unknown field "cpuPerRequst"`)
}

// requireSane checks that s gives a finite rate ≥ 0 at t.
func requireSane(t *testing.T, s Shape, at time.Duration) {
	t.Helper()
	v := s.Rate(at)
	require.False(t, math.IsNaN(v) || math.IsInf(v, 0) || v < 0, "%s at %d: %v", s, at, v)
}

// probeTimes are times at which fuzz tests check rates: the extremes,
// around the start, and a spread of times over a few days.
var probeTimes = []time.Duration{
	math.MinInt64, -time.Hour, -1, 0, 1, time.Second, time.Minute, time.Hour,
	6 * time.Hour, 12 * time.Hour, 23*time.Hour + 59*time.Minute, 24 * time.Hour,
	100 * time.Hour, math.MaxInt64 - 1, math.MaxInt64,
}

func FuzzParseShape(f *testing.F) {
	for _, s := range []string{
		"100", "constant(100)", " Constant ( 2.5 ) ", "constant(0)", "constant(-0)", "constant(1e-400)",
		"steps(0s:10,1h:50)", "steps()", "steps(0:1,0:2)", "steps(1h:1,30m:2)", "steps(0:1:2)",
		"diurnal(20,200,14h)", "diurnal(0,1.7976931348623157e308,0)", "diurnal(20,200,24h)",
		"spike(50,500,2h,10m)", "spike(1,2,0s,2562047h47m16.854775807s)", "spike(1,2,2562047h47m16.854775807s,1ns)",
		"replay(0:1)", "", "(", ")", "(,)", "steps(,)", "constant(1e21)", "constant(1e-7)", "1e400", "NaN",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := ParseShape(s)
		if err != nil {
			require.Contains(t, err.Error(), "invalid traffic shape")
			return
		}
		back, err := ParseShape(sh.String())
		require.NoError(t, err, "String %q of %q does not parse", sh.String(), s)
		require.Equal(t, sh, back, "String %q of %q does not round-trip", sh.String(), s)

		b, err := json.Marshal(sh)
		require.NoError(t, err)
		var fromJSON Shape
		require.NoError(t, json.Unmarshal(b, &fromJSON))
		require.Equal(t, sh, fromJSON)

		for _, at := range probeTimes {
			requireSane(t, sh, at)
		}
		for _, p := range sh.points {
			requireSane(t, sh, p.At)
		}
	})
}

func FuzzReplayCSV(f *testing.F) {
	for _, s := range []string{
		"0,10\n60,20\n", "seconds,rps\n0,10\n", "\uFEFFseconds,rps\r\n0,10\r\n90.5,20\r\n",
		"# c\n\n0,1\n", "\"0\",\"5\"\n", "0,1\n0,2\n", "0,\"1\n", "a,b,c\n", "",
		"0,1.7976931348623157e308\n1,0\n2,1.7976931348623157e308\n", "9223372036,1\n9223372036.854775807,2\n",
		"0.000000001,1\n0.000000002,2\n", "1e30,1\n", "-0,-0\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		points, err := ParseReplayCSV(strings.NewReader(string(b)))
		if err != nil {
			require.Nil(t, points)
			require.Contains(t, err.Error(), "replay CSV")
			return
		}
		require.NotEmpty(t, points)
		for i, p := range points {
			require.GreaterOrEqual(t, p.At, time.Duration(0))
			require.False(t, math.IsNaN(p.RPS) || math.IsInf(p.RPS, 0) || p.RPS < 0, "rps %v", p.RPS)
			if i > 0 {
				require.Greater(t, p.At, points[i-1].At, "times increase")
			}
		}
		r := Replay(points)
		require.Equal(t, points, r.points, "parsed points need no normalising")
		for _, at := range probeTimes {
			requireSane(t, r, at)
		}
		for i, p := range points {
			requireSane(t, r, p.At)
			require.Equal(t, p.RPS, r.Rate(p.At), "the value at a point is the point's")
			if i > 0 {
				mid := points[i-1].At + (p.At-points[i-1].At)/2
				v := r.Rate(mid)
				requireSane(t, r, mid)
				lo, hi := min(points[i-1].RPS, p.RPS), max(points[i-1].RPS, p.RPS)
				require.True(t, v >= lo && v <= hi, "%v between %v and %v", v, lo, hi)
			}
		}
	})
}

func ExampleTraffic_Utilization() {
	tr := Traffic{
		Shape:           Diurnal(20, 200, 14*time.Hour),
		CPUPerRequest:   20 * time.Millisecond,
		MemoryBaseMiB:   300,
		MemoryPerRPSMiB: 2,
	}
	// Four tasks of 1 vCPU (1,024 units) and 1 GiB, through the day.
	for _, at := range []time.Duration{2 * time.Hour, 8 * time.Hour, 14 * time.Hour} {
		cpu, mem, _ := tr.Utilization(at, 4, 1024, 1024)
		fmt.Printf("%-5s %3.0f rps  CPU %3.0f%%  memory %2.0f%%\n", shortDuration(at), tr.Shape.Rate(at), cpu, mem)
	}
	// Output:
	// 2h     20 rps  CPU  10%  memory 30%
	// 8h    110 rps  CPU  55%  memory 35%
	// 14h   200 rps  CPU 100%  memory 39%
}

// BenchmarkRate evaluates shapes as a metrics tick does, once per service
// per minute; a replay holds a day of points a second apart.
func BenchmarkRate(b *testing.B) {
	day := make([]StepPoint, 86400)
	for i := range day {
		day[i] = StepPoint{At: time.Duration(i) * time.Second, RPS: float64(i % 500)}
	}
	for _, s := range []Shape{
		Constant(100),
		Steps(pts(0*time.Second, 10, time.Hour, 50, 3*time.Hour, 0)),
		Diurnal(20, 200, 14*time.Hour),
		Spike(50, 500, 2*time.Hour, 10*time.Minute),
		Replay(day),
	} {
		b.Run(strings.SplitN(s.String(), "(", 2)[0], func(b *testing.B) {
			b.ReportAllocs()
			var sink float64
			var at time.Duration
			for b.Loop() {
				sink += s.Rate(at)
				at += 1500 * time.Millisecond
			}
			_ = sink
		})
	}
}

func TestShapeScale(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"constant(100)", "constant(300)"},
		{"steps(0s:10,1h:50)", "steps(0s:30,1h:150)"},
		{"diurnal(20,200,14h)", "diurnal(60,600,14h)"},
		{"spike(50,500,2h,10m)", "spike(150,1500,2h,10m)"},
	} {
		s, err := ParseShape(tc.in)
		require.NoError(t, err)
		require.Equal(t, tc.want, s.Scale(3).String())
		require.Equal(t, tc.in, s.String(), "the shape itself is unchanged")
	}
	r := Replay([]StepPoint{{0, 10}, {time.Minute, 20}})
	require.InDelta(t, 45.0, r.Scale(3).Rate(30*time.Second), 1e-9)
	require.Equal(t, 10.0, r.Rate(0))
	require.Equal(t, "constant(0)", Constant(5).Scale(math.Inf(1)).String())
}

// TestShapeVaries: only a constant shape has the same rate at every
// time; every other family may change, even when its points or spike
// leave it flat.
func TestShapeVaries(t *testing.T) {
	require.False(t, Constant(100).Varies())
	require.False(t, Shape{}.Varies())
	require.False(t, Constant(100).Scale(2).Varies())
	for _, s := range []Shape{
		Steps(pts(time.Duration(0), 10, time.Hour, 50)),
		Steps(nil),
		Diurnal(20, 200, 14*time.Hour),
		Diurnal(5, 5, 0),
		Spike(50, 500, time.Hour, 10*time.Minute),
		Spike(50, 500, time.Hour, 0),
		Replay(pts(time.Duration(0), 10)),
	} {
		require.True(t, s.Varies(), s.String())
	}
}
