// Package examples holds runnable programs, one per topic, each printing a
// timeline that reads like the events tab of the ECS console:
//
//	go run ./examples/quickstart        # a Fargate service from nothing to steady state
//	go run ./examples/rolling-deploy    # a rolling update at 200/100, then at 100/50
//	go run ./examples/circuit-breaker   # a bad image trips the breaker and rolls back
//	go run ./examples/spot              # FARGATE and FARGATE_SPOT, interruptions, cost
//	go run ./examples/placement         # where tasks land on EC2 under each strategy
//	go run ./examples/autoscaling       # a day of traffic under target tracking at 60% CPU
//	go run ./examples/alb               # a service behind a load balancer; a moved health check rolls back
//	go run ./examples/deployment-strategies # one bad release under ROLLING, BLUE_GREEN, LINEAR and CANARY
//
// examples/sdkdeployer is a library instead: a small deployment tool
// written only against the AWS SDK for Go v2, and a test that runs it
// against a World in process, with no socket:
//
//	go test ./examples/sdkdeployer
package examples
