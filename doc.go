// Package ecssim is a deterministic, in-memory simulator of Amazon ECS.
//
// A [World] holds one discrete-event engine and the simulated services:
// ECS (clusters, task definitions, tasks, services, container instances)
// and Application Auto Scaling. You drive it with ECS-shaped API calls and
// advance virtual time with [World.RunFor], [World.RunUntilFunc],
// [World.StepUntil] or a waiter such as [World.WaitDeployment]; nothing
// waits on the wall clock, and the same seed with the same calls gives the
// same trace, byte for byte. The World speaks time.Time and time.Duration.
//
//	w, _ := ecssim.New(ecssim.Config{Seed: 42})
//	w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
//	w.RunFor(10 * time.Minute)
//	fmt.Println(w.Now(), w.Trace().Hash())
//
// Every action is also reachable by name with JSON in and out through
// [World.Call], which is what scenario files and the HTTP endpoint use.
// Code written against the AWS SDK for Go v2 drives a World in process
// with the configuration awsapi.Config returns, and package ecssimtest
// has test helpers.
package ecssim
