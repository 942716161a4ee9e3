package workload_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ecssim/ecssim/workload"
)

func ExampleParseDist() {
	for _, s := range []string{"1m30s", " uniform( 5s , 15s ) ", "lognormal(10s,0.5)", "uniform(15s,5s)"} {
		d, err := workload.ParseDist(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d)
	}
	// Output:
	// 1m30s
	// uniform(5s,15s)
	// lognormal(10s,0.5)
	// invalid distribution "uniform(15s,5s)": lo 15s is greater than hi 5s
}

func ExampleBehaviours() {
	b := workload.NewBehaviours()
	crash := workload.Fixed(20 * time.Second)
	_ = b.Set("myapp:*", workload.Image{ExitAfter: &crash, ExitCode: 1})
	_ = b.Set("*/nginx:*", workload.Image{HealthCheck: workload.HealthFailing})

	for _, name := range []string{"myapp:1.4", "library/nginx:1.25", "redis:7"} {
		img := b.For(name)
		exit := "runs until stopped"
		if img.ExitAfter != nil {
			exit = fmt.Sprintf("exits %d after %s", img.ExitCode, img.ExitAfter)
		}
		fmt.Printf("%-18s pull %s, health %s, %s\n", name, img.PullTime, img.HealthCheck, exit)
	}

	// Draws come from a seeded stream (in a simulation, Engine.Rand).
	r := rand.New(rand.NewPCG(1, 2))
	d := b.For("redis:7").PullTime.Sample(r)
	fmt.Println(d >= 6*time.Second && d <= 16*time.Second)
	// Output:
	// myapp:1.4          pull uniform(6s,16s), health passing, exits 1 after 20s
	// library/nginx:1.25 pull uniform(6s,16s), health failing, runs until stopped
	// redis:7            pull uniform(6s,16s), health passing, runs until stopped
	// true
}
