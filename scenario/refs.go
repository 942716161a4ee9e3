package scenario

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
)

// Load balancer ARNs end in digits drawn at run time, so a scenario cannot
// write them out. Instead, any string of a step's input may be a
// reference, replaced by the ARN when the step runs:
//
//	"elbv2:loadbalancer/<name>"          the load balancer named <name>
//	"elbv2:targetgroup/<name>"           the target group named <name>
//	"elbv2:listener/<lb-name>/<port>"    the listener of that load balancer on that port
//	"elbv2:resourcelabel/<lb-name>/<tg-name>"
//	                                     the ResourceLabel of an ALBRequestCountPerTarget metric,
//	                                     app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>
//
// Service deployment ARNs and lifecycle hook IDs are drawn at run time
// too; these name the ones a step acts on, such as a PAUSE hook's
// ContinueServiceDeployment:
//
//	"ecs:service-deployment/<cluster>/<service>"
//	                                     the ARN of the service's deployment in progress
//	"ecs:lifecycle-hook/<cluster>/<service>"
//	                                     the hookId of that deployment's hook awaiting action
var refRE = regexp.MustCompile(`"elbv2:(loadbalancer|targetgroup|listener|resourcelabel)/([A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)?)"` +
	`|"ecs:(service-deployment|lifecycle-hook)/([A-Za-z0-9_-]+/[A-Za-z0-9_-]+)"`)

// resolveRefs returns input with every reference replaced by the ARN it
// names, or an error naming the first reference that names nothing.
func resolveRefs(w *ecssim.World, input []byte) ([]byte, error) {
	if !strings.Contains(string(input), `"elbv2:`) && !strings.Contains(string(input), `"ecs:`) {
		return input, nil
	}
	var firstErr error
	out := refRE.ReplaceAllFunc(input, func(m []byte) []byte {
		sub := refRE.FindSubmatch(m)
		var arn string
		var err error
		if len(sub[1]) > 0 {
			arn, err = lookupARN(w, string(sub[1]), string(sub[2]))
		} else {
			arn, err = lookupDeployment(w, string(sub[3]), string(sub[4]))
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return m
		}
		return []byte(strconv.Quote(arn))
	})
	return out, firstErr
}

// lookupDeployment resolves an ecs: reference: name is
// <cluster>/<service>; kind says whether the deployment's ARN or the ID of
// its hook awaiting action is wanted.
func lookupDeployment(w *ecssim.World, kind, name string) (string, error) {
	ref := "reference ecs:" + kind + "/" + name
	cluster, service, _ := strings.Cut(name, "/")
	c := w.ECS()
	list, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: &cluster, Service: &service, Status: []string{"IN_PROGRESS"}})
	if err != nil {
		return "", fmt.Errorf("%s: %w", ref, err)
	}
	if len(list.ServiceDeployments) == 0 {
		return "", fmt.Errorf("%s: %w", ref, api.Errorf(ecs.CodeServiceDeploymentNotFound, "service %s of cluster %s has no deployment in progress", service, cluster))
	}
	arn := list.ServiceDeployments[0].ServiceDeploymentArn
	if kind == "service-deployment" {
		return arn, nil
	}
	out, err := c.DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	if err != nil {
		return "", fmt.Errorf("%s: %w", ref, err)
	}
	for _, d := range out.ServiceDeployments {
		for _, h := range d.LifecycleHookDetails {
			if h.Status == ecs.HookAwaitingAction {
				return h.HookId, nil
			}
		}
	}
	return "", fmt.Errorf("%s: %w", ref, api.InvalidParameter("the deployment in progress of service %s of cluster %s has no lifecycle hook awaiting action", service, cluster))
}

func lookupARN(w *ecssim.World, kind, name string) (string, error) {
	c := w.ELB()
	switch kind {
	case "targetgroup":
		out, err := c.DescribeTargetGroups(&elb.DescribeTargetGroupsInput{Names: []string{name}})
		if err != nil {
			return "", fmt.Errorf("reference elbv2:targetgroup/%s: %w", name, err)
		}
		return out.TargetGroups[0].TargetGroupArn, nil
	case "loadbalancer":
		out, err := c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{name}})
		if err != nil {
			return "", fmt.Errorf("reference elbv2:loadbalancer/%s: %w", name, err)
		}
		return out.LoadBalancers[0].LoadBalancerArn, nil
	case "resourcelabel":
		lbName, tgName, ok := strings.Cut(name, "/")
		if !ok {
			return "", fmt.Errorf("reference elbv2:resourcelabel/%s: want elbv2:resourcelabel/<load-balancer-name>/<target-group-name>", name)
		}
		lb, err := lookupARN(w, "loadbalancer", lbName)
		if err != nil {
			return "", err
		}
		tg, err := lookupARN(w, "targetgroup", tgName)
		if err != nil {
			return "", err
		}
		_, lbDim, _ := strings.Cut(lb, ":loadbalancer/")
		return lbDim + "/" + tg[strings.LastIndexByte(tg, ':')+1:], nil
	}
	lbName, port, ok := strings.Cut(name, "/")
	if !ok {
		return "", fmt.Errorf("reference elbv2:listener/%s: want elbv2:listener/<load-balancer-name>/<port>", name)
	}
	lb, err := lookupARN(w, "loadbalancer", lbName)
	if err != nil {
		return "", err
	}
	out, err := c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lb})
	if err != nil {
		return "", fmt.Errorf("reference elbv2:listener/%s: %w", name, err)
	}
	for _, l := range out.Listeners {
		if strconv.Itoa(int(l.Port)) == port {
			return l.ListenerArn, nil
		}
	}
	return "", fmt.Errorf("reference elbv2:listener/%s: %w", name, api.Errorf(elb.CodeListenerNotFound, "load balancer %s has no listener on port %s", lbName, port))
}
