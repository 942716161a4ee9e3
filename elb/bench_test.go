package elb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
)

// BenchmarkTargetHealthDay: 2,000 ip targets in 100 groups, checked every
// 10 s for a simulated day, each target's application failing for a
// minute once an hour. The analytic mode runs only the checks that change
// health; the tick mode runs all 17 million.
func BenchmarkTargetHealthDay(b *testing.B) {
	for _, tick := range []bool{false, true} {
		b.Run(fmt.Sprint("tick=", tick), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f := newFixture(b, tick)
				for g := range 100 {
					tg := f.alb(b, fmt.Sprintf("g%d", g))
					_, err := f.c.ModifyTargetGroup(&elb.ModifyTargetGroupInput{TargetGroupArn: &tg, HealthCheckIntervalSeconds: api.Int32(10)})
					require.NoError(b, err)
					var ts []elb.TargetDescription
					for i := range 20 {
						ip := fmt.Sprintf("172.31.%d.%d", g/50*16+g%8, 10+i+20*(g/8%6))
						var s []step
						for h := range 24 {
							at := f.eng.Now().Add(time.Duration(h)*time.Hour + time.Duration(i)*time.Minute)
							s = append(s, step{from: at, status: 503}, step{from: at.Add(time.Minute), status: 200})
						}
						f.backend.scripts[ip] = s
						ts = append(ts, elb.TargetDescription{Id: api.String(ip)})
					}
					_, err = f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: ts})
					require.NoError(b, err)
				}
				f.eng.Trace().Keep(false)
				require.NoError(b, f.eng.RunFor(24*time.Hour))
			}
		})
	}
}
