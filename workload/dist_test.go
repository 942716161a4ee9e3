package workload

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const maxDuration = time.Duration(math.MaxInt64)

func TestParseDist(t *testing.T) {
	tests := []struct {
		in   string
		want Dist
		str  string
	}{
		{"8s", Fixed(8 * time.Second), "8s"},
		{"1m30s", Fixed(90 * time.Second), "1m30s"},
		{"250ms", Fixed(250 * time.Millisecond), "250ms"},
		{"0", Fixed(0), "0s"},
		{"0s", Fixed(0), "0s"},
		{"1.5", Fixed(1500 * time.Millisecond), "1.5s"},
		{"0.1", Fixed(100 * time.Millisecond), "100ms"},
		{"1e3", Fixed(1000 * time.Second), "16m40s"},
		{"  8s\t", Fixed(8 * time.Second), "8s"},
		{"fixed(8s)", Fixed(8 * time.Second), "8s"},
		{"uniform(5s,15s)", Uniform(5*time.Second, 15*time.Second), "uniform(5s,15s)"},
		{" Uniform ( 5s , 15s ) ", Uniform(5*time.Second, 15*time.Second), "uniform(5s,15s)"},
		{"uniform(5,15)", Uniform(5*time.Second, 15*time.Second), "uniform(5s,15s)"},
		{"uniform(3s,3s)", Uniform(3*time.Second, 3*time.Second), "uniform(3s,3s)"},
		{"normal(10s,2s)", Normal(10*time.Second, 2*time.Second), "normal(10s,2s)"},
		{"NORMAL(10s, 0s)", Normal(10*time.Second, 0), "normal(10s,0s)"},
		{"exp(30s)", Exponential(30 * time.Second), "exp(30s)"},
		{"exponential( 1m )", Exponential(time.Minute), "exp(1m0s)"},
		{"lognormal(10s,0.5)", LogNormal(10*time.Second, 0.5), "lognormal(10s,0.5)"},
		{"lognormal(10s, 1e-3)", LogNormal(10*time.Second, 0.001), "lognormal(10s,0.001)"},
		{"lognormal(1h,0)", LogNormal(time.Hour, 0), "lognormal(1h0m0s,0)"},
		{"2562047h47m16.854775807s", Fixed(maxDuration), "2562047h47m16.854775807s"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDist(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.str, got.String())
			back, err := ParseDist(got.String())
			require.NoError(t, err)
			require.Equal(t, got, back, "String round-trips")
		})
	}
}

func TestParseDistErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"", `invalid distribution "": empty; want a duration such as 8s`},
		{"   ", "empty"},
		{"8x", `"8x" is not a duration such as 8s, 1m30s or 250ms`},
		{"8 s", `"8 s" is not a duration`},
		{"-5s", "-5s is negative"},
		{"-5", "-5 is negative"},
		{"inf", `"inf" is not a duration`},
		{"NaN", `"NaN" is not a duration`},
		{"1e30", "1e30 seconds is out of range"},
		{"1e400", "1e400 seconds is out of range"},
		{"99999999999h", `"99999999999h" is not a duration`},
		{"uniform(5s,15s", `missing ")" at the end`},
		{"uniform 5s,15s)", `")" without "("`},
		{"(5s)", `missing distribution name before "("`},
		{"gamma(5s,1)", `unknown distribution "gamma"; want fixed, uniform, normal, exp or lognormal`},
		{"uniform(5s)", "uniform takes 2 arguments (lo, hi), got 1"},
		{"uniform()", "uniform takes 2 arguments (lo, hi), got 0"},
		{"uniform(1s,2s,3s)", "uniform takes 2 arguments (lo, hi), got 3"},
		{"uniform(1s,)", "hi: missing duration"},
		{"uniform(15s,5s)", "lo 15s is greater than hi 5s"},
		{"uniform(-1s,5s)", "lo: -1s is negative"},
		{"uniform(1s,2q)", `hi: "2q" is not a duration`},
		{"normal(10s)", "normal takes 2 arguments (mean, stddev), got 1"},
		{"normal(10s,-2s)", "stddev: -2s is negative"},
		{"exp()", "exp takes 1 argument (mean), got 0"},
		{"exp(1s,2s)", "exp takes 1 argument (mean), got 2"},
		{"exp(-1s)", "mean: -1s is negative"},
		{"fixed()", "fixed takes 1 argument (duration), got 0"},
		{"lognormal(10s)", "lognormal takes 2 arguments (median, sigma), got 1"},
		{"lognormal(10s,-0.5)", "sigma: -0.5 is negative"},
		{"lognormal(10s,abc)", `sigma: "abc" is not a finite number`},
		{"lognormal(10s,NaN)", `sigma: "NaN" is not a finite number`},
		{"lognormal(10s,Inf)", `sigma: "Inf" is not a finite number`},
		{"lognormal(10s,1e999)", `sigma: "1e999" is not a finite number`},
		{"lognormal(-1s,0.5)", "median: -1s is negative"},
		{"uniform((1s),2s)", "nested parentheses"},
		{"uniform(1s,2s))", "nested parentheses"},
		{"exp(1s)x", `missing ")" at the end`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseDist(tc.in)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.wantErr)
			require.Contains(t, err.Error(), `invalid distribution "`, "the input is quoted")
		})
	}
}

func TestConstructorsNormalise(t *testing.T) {
	tests := []struct {
		name string
		got  Dist
		want string
	}{
		{"negative fixed", Fixed(-time.Second), "0s"},
		{"swapped uniform", Uniform(15*time.Second, 5*time.Second), "uniform(5s,15s)"},
		{"negative uniform", Uniform(-5*time.Second, 5*time.Second), "uniform(0s,5s)"},
		{"negative normal", Normal(-time.Second, -time.Second), "normal(0s,0s)"},
		{"negative exp", Exponential(-time.Second), "exp(0s)"},
		{"negative sigma", LogNormal(time.Second, -0.5), "lognormal(1s,0.5)"},
		{"NaN sigma", LogNormal(time.Second, math.NaN()), "lognormal(1s,0)"},
		{"Inf sigma", LogNormal(time.Second, math.Inf(1)), "lognormal(1s,0)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.got.String())
			back, err := ParseDist(tc.got.String())
			require.NoError(t, err)
			require.Equal(t, tc.got, back)
		})
	}
}

func TestIsZero(t *testing.T) {
	var zero Dist
	require.True(t, zero.IsZero())
	require.Equal(t, "0s", zero.String())
	require.Zero(t, zero.Sample(rand.New(rand.NewPCG(1, 1))))
	for _, d := range []Dist{Fixed(0), Uniform(0, 0), Normal(0, 0), Exponential(0), LogNormal(0, 0), Fixed(time.Second)} {
		require.False(t, d.IsZero(), d.String())
	}
}

// sampleN draws n samples of d from a fixed stream.
func sampleN(d Dist, n int) []time.Duration {
	r := rand.New(rand.NewPCG(42, 1))
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d.Sample(r)
	}
	return out
}

func mean(xs []time.Duration) float64 {
	var s float64
	for _, x := range xs {
		s += float64(x)
	}
	return s / float64(len(xs))
}

func median(xs []time.Duration) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestSampleStatistics(t *testing.T) {
	const n = 40000
	sec := float64(time.Second)
	tests := []struct {
		name    string
		d       Dist
		lo, hi  time.Duration // every sample in [lo, hi]
		mean    float64       // expected mean, ns; 0 to skip
		median  time.Duration // expected median; 0 to skip
		relTol  float64
		minDist int // at least this many distinct values
	}{
		{"fixed", Fixed(8 * time.Second), 8 * time.Second, 8 * time.Second, 8 * sec, 8 * time.Second, 0, 1},
		{"uniform", Uniform(5*time.Second, 15*time.Second), 5 * time.Second, 15 * time.Second, 10 * sec, 10 * time.Second, 0.01, n / 2},
		{"uniform point", Uniform(3*time.Second, 3*time.Second), 3 * time.Second, 3 * time.Second, 3 * sec, 0, 0, 1},
		{"uniform tiny", Uniform(0, 1), 0, 1, 0.5, 0, 0.05, 2},
		{"normal", Normal(10*time.Second, 2*time.Second), 0, maxDuration, 10 * sec, 10 * time.Second, 0.01, n / 2},
		// Truncated at 0: mean of N(0,σ) given ≥ 0 is σ·√(2/π).
		{"normal truncated", Normal(0, time.Second), 0, maxDuration, sec * math.Sqrt(2/math.Pi), 0, 0.02, n / 2},
		{"normal zero spread", Normal(time.Second, 0), time.Second, time.Second, sec, 0, 0, 1},
		{"exp", Exponential(30 * time.Second), 0, maxDuration, 30 * sec, time.Duration(30 * sec * math.Ln2), 0.03, n / 2},
		{"lognormal", LogNormal(10*time.Second, 0.5), 0, maxDuration, 10 * sec * math.Exp(0.125), 10 * time.Second, 0.02, n / 2},
		{"lognormal no spread", LogNormal(10*time.Second, 0), 10 * time.Second, 10 * time.Second, 0, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			xs := sampleN(tc.d, n)
			distinct := make(map[time.Duration]bool)
			for _, x := range xs {
				require.GreaterOrEqual(t, x, tc.lo)
				require.LessOrEqual(t, x, tc.hi)
				distinct[x] = true
			}
			require.GreaterOrEqual(t, len(distinct), tc.minDist)
			if tc.mean != 0 {
				require.InEpsilon(t, tc.mean, mean(xs), max(tc.relTol, 1e-12))
			}
			if tc.median != 0 {
				require.InEpsilon(t, float64(tc.median), float64(median(xs)), max(tc.relTol, 1e-12))
			}
		})
	}
}

func TestSampleExtremes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, d := range []Dist{
		Fixed(maxDuration),
		Uniform(0, maxDuration),
		Uniform(maxDuration-1, maxDuration),
		Normal(maxDuration, maxDuration),
		Normal(0, maxDuration),
		Exponential(maxDuration),
		LogNormal(maxDuration, 5),
		LogNormal(time.Nanosecond, 1e308),
		LogNormal(maxDuration, 1e308),
	} {
		for range 1000 {
			require.GreaterOrEqual(t, d.Sample(r), time.Duration(0), d.String())
		}
	}
}

func TestFixedDrawsNothing(t *testing.T) {
	for _, d := range []Dist{{}, Fixed(0), Fixed(time.Minute)} {
		a, b := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
		for range 10 {
			d.Sample(a)
		}
		require.Equal(t, b.Uint64(), a.Uint64(), "Sample of %s drew from the stream", d)
	}
	// The others do draw.
	for _, d := range []Dist{Uniform(0, time.Second), Normal(time.Second, time.Second), Exponential(time.Second), LogNormal(time.Second, 1)} {
		a, b := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
		d.Sample(a)
		require.NotEqual(t, b.Uint64(), a.Uint64(), d.String())
	}
}

func TestSampleDeterministic(t *testing.T) {
	for _, d := range []Dist{Uniform(5*time.Second, 15*time.Second), Normal(10*time.Second, 2*time.Second), Exponential(30 * time.Second), LogNormal(10*time.Second, 0.5)} {
		require.Equal(t, sampleN(d, 100), sampleN(d, 100), d.String())
	}
	// Pinned values: a change here changes every trace that uses them,
	// so it must be deliberate.
	r := rand.New(rand.NewPCG(1, 2))
	got := []time.Duration{
		Uniform(5*time.Second, 15*time.Second).Sample(r),
		Normal(10*time.Second, 2*time.Second).Sample(r),
		Exponential(30 * time.Second).Sample(r),
		LogNormal(10*time.Second, 0.5).Sample(r),
	}
	require.Equal(t, []time.Duration{12693732694, 10149476093, 1094909024, 5696932586}, got)
}

func TestDistJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Dist
		wantErr string
	}{
		{`"8s"`, Fixed(8 * time.Second), ""},
		{`"uniform(5s, 15s)"`, Uniform(5*time.Second, 15*time.Second), ""},
		{`8`, Fixed(8 * time.Second), ""},
		{`1.5`, Fixed(1500 * time.Millisecond), ""},
		{`0.000000001`, Fixed(time.Nanosecond), ""},
		{`1e2`, Fixed(100 * time.Second), ""},
		{`0`, Fixed(0), ""},
		{` "exp(30s)" `, Exponential(30 * time.Second), ""},
		{`-1`, Dist{}, "-1 is negative"},
		{`1e300`, Dist{}, "out of range"},
		{`"-1s"`, Dist{}, "-1s is negative"},
		{`"bogus"`, Dist{}, `invalid distribution "bogus"`},
		{`true`, Dist{}, `distribution must be a string such as "uniform(5s,15s)" or a number of seconds, not true`},
		{`{}`, Dist{}, "number of seconds, not {}"},
		{`[1]`, Dist{}, "not [1]"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var d Dist
			err := json.Unmarshal([]byte(tc.in), &d)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, d)
		})
	}

	// null leaves the value alone.
	d := Fixed(time.Second)
	require.NoError(t, json.Unmarshal([]byte(`null`), &d))
	require.Equal(t, Fixed(time.Second), d)

	// Marshal gives the string form.
	b, err := json.Marshal(map[string]Dist{"a": Uniform(time.Second, 2*time.Second), "b": {}, "c": LogNormal(time.Second, 0.25)})
	require.NoError(t, err)
	require.JSONEq(t, `{"a":"uniform(1s,2s)","b":"0s","c":"lognormal(1s,0.25)"}`, string(b))
}

func TestDistText(t *testing.T) {
	var d Dist
	require.NoError(t, d.UnmarshalText([]byte("normal(10s,2s)")))
	require.Equal(t, Normal(10*time.Second, 2*time.Second), d)
	b, err := d.MarshalText()
	require.NoError(t, err)
	require.Equal(t, "normal(10s,2s)", string(b))
	require.Error(t, d.UnmarshalText([]byte("normal(")))
	require.Equal(t, Normal(10*time.Second, 2*time.Second), d, "a failed parse changes nothing")
}

func FuzzParseDist(f *testing.F) {
	for _, s := range []string{
		"8s", "1m30s", "0", "1.5", "1e3", "uniform(5s,15s)", " normal ( 10s , 2s ) ",
		"exp(30s)", "exponential(1m)", "lognormal(10s,0.5)", "lognormal(1s,1e308)",
		"fixed(1h)", "uniform(", ")", "(,)", "uniform(0s,2562047h47m16.854775807s)",
		"-0", "0x1p-2", "+5", ".5", "5.", "1e-400", "uniform(1,2", "lognormal(1s,-0)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			require.Contains(t, err.Error(), "invalid distribution")
			return
		}
		back, err := ParseDist(d.String())
		require.NoError(t, err, "String %q of %q does not parse", d.String(), s)
		require.Equal(t, d, back, "String %q of %q does not round-trip", d.String(), s)

		b, err := json.Marshal(d)
		require.NoError(t, err)
		var fromJSON Dist
		require.NoError(t, json.Unmarshal(b, &fromJSON))
		require.Equal(t, d, fromJSON)

		r := rand.New(rand.NewPCG(uint64(len(s)), 1))
		for range 8 {
			require.GreaterOrEqual(t, d.Sample(r), time.Duration(0))
		}
	})
}

func TestDistScale(t *testing.T) {
	tests := []struct {
		in   Dist
		want string
	}{
		{Fixed(20 * time.Second), "40s"},
		{Uniform(10*time.Second, 30*time.Second), "uniform(20s,1m0s)"},
		{Normal(10*time.Second, 2*time.Second), "normal(20s,4s)"},
		{Exponential(time.Minute), "exp(2m0s)"},
		{LogNormal(10*time.Second, 0.5), "lognormal(20s,0.5)"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, tc.in.Scale(2).String())
	}
	require.True(t, Dist{}.Scale(2).IsZero())
	require.Equal(t, Fixed(0), Fixed(time.Second).Scale(-1))
}
