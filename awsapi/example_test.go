package awsapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

// Code written against the AWS SDK for Go v2 drives a World in process:
// the SDK's clients, waiters and typed errors, no socket, and virtual time
// passing one poll interval (15 s) before each read.
func ExampleConfig() {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	client := ecs.NewFromConfig(awsapi.Config(w)) // instead of config.LoadDefaultConfig
	ctx := context.Background()

	_, err = client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("web"), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx:1.27")}},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(3), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	waiter := ecs.NewServicesStableWaiter(client, awsapi.NoWaiterDelay) // no wall-clock sleep between polls
	in := &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}
	if err := waiter.Wait(ctx, in, time.Minute); err != nil {
		log.Fatal(err)
	}
	out, err := client.DescribeServices(ctx, in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Services[0].RunningCount, "tasks running after", w.Elapsed(), "of virtual time")

	_, err = client.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("nope")})
	var notFound *types.ClusterNotFoundException
	fmt.Println(errors.As(err, &notFound))
	// Output:
	// 3 tasks running after 1m0s of virtual time
	// true
}
