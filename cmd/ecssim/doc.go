// Command ecssim runs ECS simulations and validates ECS documents.
//
//	ecssim run                 # the embedded demo scenario
//	ecssim run my.yaml         # a scenario file of real API calls
//	ecssim scenarios           # the embedded example scenarios
//	ecssim scenarios NAME --export DIR   # one of them and its input files, to edit
//	ecssim validate FILE...    # task definitions, services, target groups, scenarios
package main
