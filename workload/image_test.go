package workload

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ptr(d Dist) *Dist { return &d }

func TestImageJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Image
		wantErr string
	}{
		{"empty", `{}`, Image{}, ""},
		{"all fields", `{
			"pullTime": "uniform(5s,15s)", "startTime": 2, "stopTime": "500ms",
			"exitAfter": "exp(1h)", "exitCode": 1, "healthCheck": "failing",
			"healthCheckFailsAfter": "lognormal(10m,0.5)", "healthyAfter": "40s",
			"pullError": "CannotPullContainerError: manifest unknown"}`,
			Image{
				PullTime:              Uniform(5*time.Second, 15*time.Second),
				StartTime:             Fixed(2 * time.Second),
				StopTime:              Fixed(500 * time.Millisecond),
				ExitAfter:             ptr(Exponential(time.Hour)),
				ExitCode:              1,
				HealthCheck:           HealthFailing,
				HealthCheckFailsAfter: ptr(LogNormal(10*time.Minute, 0.5)),
				HealthyAfter:          ptr(Fixed(40 * time.Second)),
				PullError:             "CannotPullContainerError: manifest unknown",
			}, ""},
		{"exitAfter alone", `{"exitAfter":"20s"}`, Image{ExitAfter: ptr(Fixed(20 * time.Second))}, ""},
		{"explicit zero", `{"pullTime":"0s"}`, Image{PullTime: Fixed(0)}, ""},
		{"passing", `{"healthCheck":"passing"}`, Image{HealthCheck: HealthPassing}, ""},
		{"nulls", `{"pullTime":null,"exitAfter":null,"exitCode":null,"healthCheck":null}`, Image{}, ""},
		{"exit code 255", `{"exitCode":255}`, Image{ExitCode: 255}, ""},

		{"unknown field", `{"exitafter":"20s"}`, Image{}, `image behaviour: unknown field "exitafter"; known fields are pullTime, startTime, stopTime, exitAfter, exitCode, healthCheck, healthCheckFailsAfter, healthyAfter, healthCheckHangs, pullError`},
		{"wrong case", `{"PullTime":"1s"}`, Image{}, `unknown field "PullTime"`},
		{"several unknown, sorted", `{"zz":1,"aa":2,"pullTime":"1s"}`, Image{}, `unknown field "aa", "zz";`},
		{"bad health", `{"healthCheck":"ok"}`, Image{}, `image behaviour: healthCheck "ok" is not valid; want "passing", "failing" or "hanging"`},
		{"health case", `{"healthCheck":"Passing"}`, Image{}, `healthCheck "Passing" is not valid`},
		{"negative exit code", `{"exitCode":-1}`, Image{}, "exitCode -1 is not valid; want 0 to 255"},
		{"big exit code", `{"exitCode":256}`, Image{}, "exitCode 256 is not valid"},
		{"fractional exit code", `{"exitCode":1.5}`, Image{}, "image behaviour: exitCode: want an integer, not number 1.5"},
		{"string exit code", `{"exitCode":"1"}`, Image{}, "exitCode: want an integer, not string"},
		{"number health", `{"healthCheck":1}`, Image{}, "healthCheck: want a string, not number"},
		{"bad dist", `{"stopTime":"uniform(2s,1s)"}`, Image{}, `image behaviour: stopTime: invalid distribution "uniform(2s,1s)": lo 2s is greater than hi 1s`},
		{"bad dist pointer", `{"exitAfter":"soon"}`, Image{}, `image behaviour: exitAfter: invalid distribution "soon"`},
		{"dist type", `{"pullTime":true}`, Image{}, "image behaviour: pullTime: distribution must be a string"},
		{"not an object", `[]`, Image{}, "image behaviour must be a JSON object"},
		{"string", `"8s"`, Image{}, "image behaviour must be a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var img Image
			err := json.Unmarshal([]byte(tc.in), &img)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Equal(t, Image{}, img, "a rejected document changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, img)

			// Marshal and decode again: the same Image.
			b, err := json.Marshal(img)
			require.NoError(t, err)
			var back Image
			require.NoError(t, json.Unmarshal(b, &back), string(b))
			require.Equal(t, img, back, string(b))
		})
	}

	// null leaves the image alone.
	img := Image{ExitCode: 3}
	require.NoError(t, json.Unmarshal([]byte(`null`), &img))
	require.Equal(t, Image{ExitCode: 3}, img)
}

func TestImageMarshal(t *testing.T) {
	tests := []struct {
		name string
		img  Image
		want string
	}{
		{"zero omits everything", Image{}, `{}`},
		{"explicit zero kept", Image{PullTime: Fixed(0)}, `{"pullTime":"0s"}`},
		{"defaults", Defaults(), `{"pullTime":"uniform(6s,16s)","startTime":"uniform(1s,3s)","stopTime":"uniform(500ms,2s)","healthCheck":"passing"}`},
		{"crash", Image{ExitAfter: ptr(Fixed(20 * time.Second)), ExitCode: 1}, `{"exitAfter":"20s","exitCode":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.img)
			require.NoError(t, err)
			require.Equal(t, tc.want, string(b))
		})
	}
}

func TestImageInStruct(t *testing.T) {
	// Images nest in scenario documents; errors surface through them.
	var doc struct {
		Images map[string]Image `json:"images"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"images":{"web:*":{"startTime":"3s"}}}`), &doc))
	require.Equal(t, Fixed(3*time.Second), doc.Images["web:*"].StartTime)
	err := json.Unmarshal([]byte(`{"images":{"web:*":{"startime":"3s"}}}`), &doc)
	require.ErrorContains(t, err, `unknown field "startime"`)
}

func TestWithDefaults(t *testing.T) {
	def := Defaults()
	exit := Fixed(time.Minute)
	tests := []struct {
		name string
		img  Image
		want Image
	}{
		{"empty takes all three", Image{}, Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime}},
		{"set fields kept", Image{PullTime: Fixed(time.Second), StopTime: Exponential(time.Second)},
			Image{PullTime: Fixed(time.Second), StartTime: def.StartTime, StopTime: Exponential(time.Second)}},
		{"explicit zero kept", Image{PullTime: Fixed(0)}, Image{PullTime: Fixed(0), StartTime: def.StartTime, StopTime: def.StopTime}},
		{"other fields not inherited", Image{ExitAfter: &exit, ExitCode: 2},
			Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime, ExitAfter: &exit, ExitCode: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.img.WithDefaults(def))
		})
	}
	// Health, exit and pull error of def are never copied.
	def2 := Image{HealthCheck: HealthFailing, ExitAfter: &exit, ExitCode: 9, PullError: "x", HealthCheckFailsAfter: &exit}
	require.Equal(t, Image{}, Image{}.WithDefaults(def2))
}

func TestBehavioursFor(t *testing.T) {
	def := Defaults()
	crash := Fixed(20 * time.Second)
	b := NewBehaviours()
	require.NoError(t, b.Set("myapp:*", Image{StartTime: Fixed(5 * time.Second)}))
	require.NoError(t, b.Set("myapp:1.0", Image{ExitAfter: &crash, ExitCode: 1}))
	require.NoError(t, b.Set("*/nginx:*", Image{HealthCheck: HealthFailing}))
	require.NoError(t, b.Set("my*", Image{PullError: "CannotPullContainerError: manifest unknown"}))
	require.NoError(t, b.Set("lib?ary/redis:[0-9]*", Image{StopTime: Fixed(40 * time.Second)}))
	require.NoError(t, b.Set(`esc\*aped`, Image{ExitCode: 7}))

	tests := []struct {
		image string
		want  Image
	}{
		{"myapp:1.0", Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime, ExitAfter: &crash, ExitCode: 1, HealthCheck: HealthPassing}},
		{"myapp:2.0", Image{PullTime: def.PullTime, StartTime: Fixed(5 * time.Second), StopTime: def.StopTime, HealthCheck: HealthPassing}},
		{"mything", Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime, HealthCheck: HealthPassing, PullError: "CannotPullContainerError: manifest unknown"}},
		{"library/nginx:1.25", Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime, HealthCheck: HealthFailing}},
		{"public.ecr.aws/nginx/nginx:1.25", def},
		{"nginx:1.25", def},
		{"library/redis:7", Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: Fixed(40 * time.Second), HealthCheck: HealthPassing}},
		{"library/redis:latest", def},
		{"esc*aped", Image{PullTime: def.PullTime, StartTime: def.StartTime, StopTime: def.StopTime, ExitCode: 7, HealthCheck: HealthPassing}},
		{"escXaped", def},
		{"", def},
	}
	for _, tc := range tests {
		t.Run(tc.image, func(t *testing.T) {
			require.Equal(t, tc.want, b.For(tc.image))
		})
	}
}

func TestBehavioursOrder(t *testing.T) {
	b := NewBehaviours()
	require.NoError(t, b.Set("app:*", Image{ExitCode: 1}))
	require.NoError(t, b.Set("*:1", Image{ExitCode: 2}))
	require.Equal(t, 1, b.For("app:1").ExitCode, "first pattern set wins")

	// Replacing keeps the pattern's place.
	require.NoError(t, b.Set("app:*", Image{ExitCode: 3}))
	require.Equal(t, 3, b.For("app:1").ExitCode)
	require.Equal(t, 2, b.For("web:1").ExitCode)

	// Exact beats any pattern, whenever it was set; replacing works too.
	require.NoError(t, b.Set("app:1", Image{ExitCode: 4}))
	require.Equal(t, 4, b.For("app:1").ExitCode)
	require.NoError(t, b.Set("app:1", Image{ExitCode: 5}))
	require.Equal(t, 5, b.For("app:1").ExitCode)
	require.Equal(t, 3, b.For("app:2").ExitCode)
}

func TestBehavioursDefault(t *testing.T) {
	b := NewBehaviours()
	require.Equal(t, Defaults(), b.For("anything"))

	// A custom default: its zero times come from Defaults, and images
	// inherit times from it, not from Defaults.
	b.SetDefault(Image{PullTime: Fixed(0), StopTime: Fixed(time.Second), HealthCheck: HealthFailing, ExitCode: 3})
	want := Image{PullTime: Fixed(0), StartTime: Defaults().StartTime, StopTime: Fixed(time.Second), HealthCheck: HealthFailing, ExitCode: 3}
	require.Equal(t, want, b.For("anything"))

	require.NoError(t, b.Set("web", Image{StartTime: Fixed(2 * time.Second)}))
	require.Equal(t, Image{PullTime: Fixed(0), StartTime: Fixed(2 * time.Second), StopTime: Fixed(time.Second), HealthCheck: HealthPassing}, b.For("web"),
		"health and exit code are not inherited from the default")

	// A bogus health value in the default is taken as passing.
	b.SetDefault(Image{HealthCheck: "bogus"})
	require.Equal(t, HealthPassing, b.For("x").HealthCheck)
}

func TestBehavioursSetErrors(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		img     Image
		wantErr string
	}{
		{"empty pattern", "", Image{}, "image pattern is empty"},
		{"unclosed class", "app:[1-", Image{}, `image pattern "app:[1-" is not a valid glob: syntax error in pattern`},
		{"trailing escape", `app\`, Image{}, `image pattern "app\\" is not a valid glob: syntax error in pattern`},
		{"bad health", "app", Image{HealthCheck: "sick"}, `image "app": healthCheck "sick" is not valid; want "passing", "failing" or "hanging"`},
		{"bad exit code", "app:*", Image{ExitCode: 300}, `image "app:*": exitCode 300 is not valid; want 0 to 255`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBehaviours()
			require.EqualError(t, b.Set(tc.pattern, tc.img), tc.wantErr)
			require.Equal(t, Defaults(), b.For("app"), "nothing changed")
			require.Equal(t, Defaults(), b.For("app:1"), "nothing changed")
		})
	}
}

func TestBehavioursCopies(t *testing.T) {
	b := NewBehaviours()
	exit := Fixed(time.Second)
	img := Image{ExitAfter: &exit}
	require.NoError(t, b.Set("app", img))
	exit = Fixed(time.Hour) // the caller's variable, not the stored one
	require.Equal(t, Fixed(time.Second), *b.For("app").ExitAfter)
}

func FuzzImageJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, `"x"`, `{"exitAfter":"20s"}`,
		`{"pullTime":"uniform(5s,15s)","startTime":2,"stopTime":"500ms","exitAfter":"exp(1h)","exitCode":1,"healthCheck":"failing","healthCheckFailsAfter":"lognormal(10m,0.5)","pullError":"e"}`,
		`{"healthCheck":"ok"}`, `{"exitCode":1.5}`, `{"pullTime":1e400}`, `{"pullTime":-0}`,
		`{"exitAfter":null}`, `{"a":1}`, `{"pullTime":"1s","pullTime":"2s"}`, `{"exitCode":9999999999999999999}`,
		`{"http":{"errorRate":0.2,"errorStatus":503}}`, `{"http":{"errorRate":1.5}}`, `{"http":{"errorStatus":200}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var img Image
		if err := json.Unmarshal(b, &img); err != nil {
			return
		}
		require.NoError(t, img.Validate())
		out, err := json.Marshal(img)
		require.NoError(t, err)
		var back Image
		require.NoError(t, json.Unmarshal(out, &back), string(out))
		require.Equal(t, img, back, string(out))

		// Every behaviour is usable: For never panics and fills the times.
		bs := NewBehaviours()
		require.NoError(t, bs.Set("img", img))
		got := bs.For("img")
		require.False(t, got.PullTime.IsZero())
		require.False(t, got.StartTime.IsZero())
		require.False(t, got.StopTime.IsZero())
		require.Contains(t, []string{HealthPassing, HealthFailing}, got.HealthCheck)
	})
}
