package sim_test

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/sim"
)

func Example() {
	start := sim.FromTime(time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC))
	e := sim.New(1, start)

	say := func(msg string) func() error {
		return func() error {
			fmt.Println(e.Now().Clock(start), msg)
			return nil
		}
	}

	// An event at a fixed instant, and one after a delay.
	e.Schedule(start.Add(90*time.Second), say("deploy finished"))
	e.After(30*time.Second, func() error {
		fmt.Println(e.Now().Clock(start), "task started")
		// Handlers schedule further events; this one is due right away.
		_, err := e.After(0, say("health check passed"))
		return err
	})
	// Events at the same instant run in the order they were scheduled.
	e.Schedule(start.Add(90*time.Second), say("scaled in"))
	timeout, _ := e.After(time.Hour, say("timed out"))

	// Run ten minutes of virtual time: everything due by then runs.
	if err := e.RunFor(10 * time.Minute); err != nil {
		fmt.Println(err)
	}
	fmt.Println("now", e.Now(), "pending", e.Pending())
	fmt.Println("cancelled:", timeout.Cancel())

	// Output:
	// 0:00:30 task started
	// 0:00:30 health check passed
	// 0:01:30 deploy finished
	// 0:01:30 scaled in
	// now 2024-06-01T12:10:00.000Z pending 1
	// cancelled: true
}
