package scenario

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
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
var refRE = regexp.MustCompile(`"elbv2:(loadbalancer|targetgroup|listener|resourcelabel)/([A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)?)"`)

// resolveRefs returns input with every reference replaced by the ARN it
// names, or an error naming the first reference that names nothing.
func resolveRefs(w *ecssim.World, input []byte) ([]byte, error) {
	if !strings.Contains(string(input), `"elbv2:`) {
		return input, nil
	}
	var firstErr error
	out := refRE.ReplaceAllFunc(input, func(m []byte) []byte {
		sub := refRE.FindSubmatch(m)
		arn, err := lookupARN(w, string(sub[1]), string(sub[2]))
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
