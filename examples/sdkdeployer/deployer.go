// Package sdkdeployer is a small deployment tool of the kind teams write
// for themselves, written only against the AWS SDK for Go v2: it creates
// an ECS service with the deployment circuit breaker and target tracking
// on CPU, deploys new images, and reports whether each rollout completed
// or was rolled back. Nothing in it knows about ecssim; its test runs it
// against a simulated account in process (see deployer_test.go):
//
//	cfg := awsapi.Config(world)          // instead of config.LoadDefaultConfig
//	d := sdkdeployer.New(cfg, "prod")
package sdkdeployer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Deployer deploys services to one ECS cluster.
type Deployer struct {
	ECS     *ecs.Client
	Scaling *applicationautoscaling.Client
	Cluster string
	// Poll is the wall-clock time between two looks at a rollout. New
	// sets 15 s; zero polls without pausing.
	Poll time.Duration
	// MaxPolls bounds the looks at one rollout. New sets 240.
	MaxPolls int
	// StableWaiter configures the SDK's ServicesStable waiter that
	// WaitStable uses.
	StableWaiter []func(*ecs.ServicesStableWaiterOptions)
}

// New returns a Deployer for cluster with the clients of cfg.
func New(cfg aws.Config, cluster string) *Deployer {
	return &Deployer{ECS: ecs.NewFromConfig(cfg), Scaling: applicationautoscaling.NewFromConfig(cfg),
		Cluster: cluster, Poll: 15 * time.Second, MaxPolls: 240}
}

// Service is what the deployer needs to know about a service.
type Service struct {
	Name         string
	Port         int32
	CPU, Memory  string // task size, e.g. "256" and "512"
	DesiredCount int32
	Subnets      []string
	// MinTasks and MaxTasks bound target tracking at TargetCPU percent.
	MinTasks, MaxTasks int32
	TargetCPU          float64
}

// Result is how a rollout ended.
type Result struct {
	// TaskDefinition is the ARN of the task definition the service runs
	// when the rollout ended.
	TaskDefinition string
	// Deployed is the ARN of the task definition that was deployed.
	Deployed string
	// RolledBack is true when the circuit breaker failed the deployment
	// and ECS rolled back to the last one that completed.
	RolledBack bool
	// FailureReason is ECS's rolloutStateReason for a failed deployment.
	FailureReason string
}

// ErrRolloutTimeout is returned when a rollout is still in progress after
// MaxPolls looks.
var ErrRolloutTimeout = errors.New("sdkdeployer: rollout still in progress")

// Create makes the cluster (if needed) and the service running image,
// registers its scalable target and CPU policy, and waits for the first
// rollout to end.
func (d *Deployer) Create(ctx context.Context, s Service, image string) (Result, error) {
	if _, err := d.ECS.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(d.Cluster)}); err != nil {
		return Result{}, fmt.Errorf("create cluster: %w", err)
	}
	td, err := d.register(ctx, s, image)
	if err != nil {
		return Result{}, err
	}
	_, err = d.ECS.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(d.Cluster), ServiceName: aws.String(s.Name), TaskDefinition: aws.String(td),
		DesiredCount: aws.Int32(s.DesiredCount), LaunchType: types.LaunchTypeFargate,
		DeploymentConfiguration: &types.DeploymentConfiguration{
			MaximumPercent: aws.Int32(200), MinimumHealthyPercent: aws.Int32(100),
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: s.Subnets, AssignPublicIp: types.AssignPublicIpDisabled}},
	})
	if err != nil {
		return Result{}, fmt.Errorf("create service %s: %w", s.Name, err)
	}
	if s.MaxTasks > 0 {
		if err := d.autoscale(ctx, s); err != nil {
			return Result{}, err
		}
	}
	return d.waitRollout(ctx, s.Name, td)
}

// Deploy registers a new revision of the service's task definition with
// image, updates the service to it, and waits for the rollout to end.
func (d *Deployer) Deploy(ctx context.Context, s Service, image string) (Result, error) {
	td, err := d.register(ctx, s, image)
	if err != nil {
		return Result{}, err
	}
	_, err = d.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{
		Cluster: aws.String(d.Cluster), Service: aws.String(s.Name), TaskDefinition: aws.String(td)})
	if err != nil {
		return Result{}, fmt.Errorf("update service %s: %w", s.Name, err)
	}
	return d.waitRollout(ctx, s.Name, td)
}

// WaitStable waits with the SDK's own ServicesStable waiter.
func (d *Deployer) WaitStable(ctx context.Context, service string, max time.Duration) error {
	w := ecs.NewServicesStableWaiter(d.ECS, d.StableWaiter...)
	return w.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(d.Cluster), Services: []string{service}}, max)
}

func (d *Deployer) register(ctx context.Context, s Service, image string) (string, error) {
	out, err := d.ECS.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(s.Name), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String(s.CPU), Memory: aws.String(s.Memory),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String(s.Name), Image: aws.String(image), Essential: aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(s.Port)}},
		}},
	})
	if err != nil {
		return "", fmt.Errorf("register %s: %w", image, err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn), nil
}

func (d *Deployer) autoscale(ctx context.Context, s Service) error {
	resource := "service/" + d.Cluster + "/" + s.Name
	_, err := d.Scaling.RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
		ResourceId: aws.String(resource), MinCapacity: aws.Int32(s.MinTasks), MaxCapacity: aws.Int32(s.MaxTasks),
	})
	if err != nil {
		return fmt.Errorf("register scalable target: %w", err)
	}
	_, err = d.Scaling.PutScalingPolicy(ctx, &applicationautoscaling.PutScalingPolicyInput{
		PolicyName: aws.String(s.Name + "-cpu"), PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
		ResourceId: aws.String(resource),
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue: aws.Float64(s.TargetCPU),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{
				PredefinedMetricType: aastypes.MetricTypeECSServiceAverageCPUUtilization},
			ScaleOutCooldown: aws.Int32(60), ScaleInCooldown: aws.Int32(300),
		},
	})
	if err != nil {
		return fmt.Errorf("put scaling policy: %w", err)
	}
	return nil
}

// waitRollout polls the service until its PRIMARY deployment's
// rolloutState is COMPLETED or FAILED. A rollback shows as a PRIMARY
// deployment of another task definition than the one deployed; the
// deployment that failed is seen, FAILED, while the rollback runs.
func (d *Deployer) waitRollout(ctx context.Context, service, deployed string) (Result, error) {
	res := Result{Deployed: deployed}
	for range d.MaxPolls {
		out, err := d.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(d.Cluster), Services: []string{service}})
		if err != nil {
			return res, fmt.Errorf("describe service %s: %w", service, err)
		}
		if len(out.Services) != 1 {
			return res, fmt.Errorf("service %s is missing", service)
		}
		for _, dep := range out.Services[0].Deployments {
			if aws.ToString(dep.TaskDefinition) == deployed && dep.RolloutState == types.DeploymentRolloutStateFailed {
				res.FailureReason = aws.ToString(dep.RolloutStateReason)
			}
			if aws.ToString(dep.Status) != "PRIMARY" {
				continue
			}
			switch dep.RolloutState {
			case types.DeploymentRolloutStateCompleted, types.DeploymentRolloutStateFailed:
				res.TaskDefinition = aws.ToString(dep.TaskDefinition)
				res.RolledBack = res.TaskDefinition != deployed
				if dep.RolloutState == types.DeploymentRolloutStateFailed {
					res.FailureReason = aws.ToString(dep.RolloutStateReason)
				}
				return res, nil
			}
		}
		if err := pause(ctx, d.Poll); err != nil {
			return res, err
		}
	}
	return res, fmt.Errorf("%w after %d looks at %s", ErrRolloutTimeout, d.MaxPolls, service)
}

// pause waits d, or until ctx is done.
func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
