package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/workload"
)

// feedWorld has a Fargate service "web" (2 tasks of 256 CPU units, 20%
// CPU each under 100 requests per second at 1 ms) in cluster "c" with
// Container Insights on, and an EC2 service "ec2" of the same load on two
// m5.large instances in cluster "e".
func feedWorld(t *testing.T) *ecssim.World {
	w, err := ecssim.New(ecssim.Config{Seed: 1, Images: map[string]workload.Image{"slow": {PullTime: workload.Fixed(150 * time.Second)}}})
	require.NoError(t, err)
	for _, c := range []struct{ action, input string }{
		{"ecs:CreateCluster", `{"clusterName":"c","settings":[{"name":"containerInsights","value":"enabled"}]}`},
		{"ecs:CreateCluster", `{"clusterName":"e"}`},
		{"ecs:RegisterTaskDefinition", `{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i"}]}`},
		{"ecs:RegisterTaskDefinition", `{"family":"b","containerDefinitions":[{"name":"c","image":"i","cpu":256,"memory":512}]}`},
		{"sim:LaunchInstances", `{"cluster":"e","instanceType":"m5.large","count":2}`},
		{"ecs:CreateService", `{"cluster":"c","serviceName":"web","taskDefinition":"f","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`},
		{"ecs:RegisterTaskDefinition", `{"family":"s","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"slow"}]}`},
		{"ecs:CreateService", `{"cluster":"c","serviceName":"slow","taskDefinition":"s","desiredCount":3,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`},
		{"ecs:CreateService", `{"cluster":"e","serviceName":"ec2","taskDefinition":"b","desiredCount":2,"launchType":"EC2"}`},
		{"sim:SetTraffic", `{"cluster":"c","service":"web","traffic":{"shape":"constant(100)","cpuPerRequest":"1ms","memoryBaseMiB":128}}`},
		{"sim:SetTraffic", `{"cluster":"e","service":"ec2","traffic":{"shape":"constant(100)","cpuPerRequest":"1ms","memoryBaseMiB":128}}`},
	} {
		_, err := w.Call(c.action, []byte(c.input))
		require.NoError(t, err, c.action)
	}
	return w
}

func stats(t *testing.T, w *ecssim.World, ns, name string, stat string, kv ...string) map[time.Duration]float64 {
	t.Helper()
	var d []cloudwatch.Dimension
	for i := 0; i < len(kv); i += 2 {
		d = append(d, cloudwatch.Dimension{Name: &kv[i], Value: &kv[i+1]})
	}
	start := api.NewTimestamp(w.Start())
	end := api.NewTimestamp(w.Now())
	out, err := w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{Namespace: &ns, MetricName: &name, Dimensions: d,
		StartTime: &start, EndTime: &end, Period: api.Int32(60), Statistics: []string{stat}})
	require.NoError(t, err)
	got := map[time.Duration]float64{}
	for _, dp := range out.Datapoints {
		v := dp.Average
		if stat == "Maximum" {
			v = dp.Maximum
		}
		got[dp.Timestamp.Sub(w.Start())] = *v
	}
	return got
}

func TestECSMetricsFeed(t *testing.T) {
	w := feedWorld(t)
	require.NoError(t, w.RunFor(10*time.Minute))

	// Service utilization, by AWS's formula: 50 requests/s on each task
	// at 1 ms is 51.2 CPU units of 256: 20%; 128 MiB of 512: 25%. The
	// datapoint of each minute is visible a minute after the minute ends,
	// so at 00:10 the last is 00:08's.
	cpu := stats(t, w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "c", "ServiceName", "web")
	require.Equal(t, 20.0, cpu[8*time.Minute])
	_, hasLast := cpu[9*time.Minute]
	require.False(t, hasLast, "00:09 is not visible before 00:11")
	require.Equal(t, 25.0, stats(t, w, "AWS/ECS", "MemoryUtilization", "Average", "ClusterName", "c", "ServiceName", "web")[8*time.Minute])

	// Container Insights is on in cluster c only.
	require.Equal(t, 2.0, stats(t, w, "ECS/ContainerInsights", "RunningTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "web")[8*time.Minute])
	require.Equal(t, 2.0, stats(t, w, "ECS/ContainerInsights", "DesiredTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "web")[8*time.Minute])
	require.Equal(t, 0.0, stats(t, w, "ECS/ContainerInsights", "PendingTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "web")[8*time.Minute])
	require.Equal(t, 2.0, stats(t, w, "ECS/ContainerInsights", "DesiredTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "web")[0])
	// Tasks of "slow" pull their image for 150 s: PENDING at 00:01 and
	// 00:02, RUNNING from 00:03.
	pending := stats(t, w, "ECS/ContainerInsights", "PendingTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "slow")
	running := stats(t, w, "ECS/ContainerInsights", "RunningTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "slow")
	require.Equal(t, []float64{3, 3, 0}, []float64{pending[0], pending[time.Minute], pending[2*time.Minute]})
	require.Equal(t, []float64{0, 0, 3}, []float64{running[0], running[time.Minute], running[2*time.Minute]})
	require.Empty(t, stats(t, w, "ECS/ContainerInsights", "RunningTaskCount", "Maximum", "ClusterName", "e", "ServiceName", "ec2"))

	// Cluster utilization: 2 × 51.2 units used of 2 × 2048 registered;
	// 2 × 128 MiB of the instances' registered memory. A Fargate-only
	// cluster has none.
	require.InDelta(t, 2.5, stats(t, w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "e")[8*time.Minute], 1e-9)
	require.Empty(t, stats(t, w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "c"))

	out, err := w.CloudWatch().ListMetrics(&cloudwatch.ListMetricsInput{Namespace: api.String("AWS/ECS")})
	require.NoError(t, err)
	// CPU and memory of services ec2 and web and of cluster e; "slow" has
	// no traffic but RUNNING tasks, so 0%.
	require.Len(t, out.Metrics, 8)
}

func TestAlarmOnECSMetric(t *testing.T) {
	w := feedWorld(t)
	_, err := w.Call("cloudwatch:PutMetricAlarm", []byte(`{"AlarmName":"busy","Namespace":"AWS/ECS","MetricName":"CPUUtilization","Statistic":"Average",
		"Dimensions":[{"Name":"ClusterName","Value":"c"},{"Name":"ServiceName","Value":"web"}],"Period":60,"EvaluationPeriods":3,"Threshold":15,"ComparisonOperator":"GreaterThanThreshold"}`))
	require.NoError(t, err)
	require.NoError(t, w.RunFor(10*time.Minute))
	out, err := w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{})
	require.NoError(t, err)
	require.Equal(t, cloudwatch.StateAlarm, out.MetricAlarms[0].StateValue)
	var changes []string
	for _, r := range w.Trace().Records() {
		if r.Type == cloudwatch.EventAlarmStateChange {
			changes = append(changes, r.Time.Time().Sub(w.Start()).String()+" "+r.Detail.(cloudwatch.AlarmStateChange).State.Value)
		}
	}
	// 20% every minute from 00:00. The 00:00 datapoint is visible at
	// 00:02: one breaching datapoint, too recent for 3 of 3, so OK. At
	// 00:03 the 00:00 and 00:01 ones are visible and 00:02's is not yet:
	// the oldest breaching datapoint is 3 periods old and the newer ones
	// breach or are missing, which is ALARM.
	require.Equal(t, []string{"2m0s OK", "3m0s ALARM"}, changes)
}

func TestIdleWorldHasNoPendingEvent(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	_, err = w.Call("ecs:CreateCluster", []byte(`{"clusterName":"c"}`))
	require.NoError(t, err)
	_, ok := w.NextEventAt()
	require.False(t, ok, "no service: the metrics feed does not run")
}

// TestECSMetricsFeedServiceAdded: a service created between two minutes,
// sorting before the others, gets its own datapoints from then on and
// leaves the others' series as they were.
func TestECSMetricsFeedServiceAdded(t *testing.T) {
	w := feedWorld(t)
	require.NoError(t, w.RunFor(4*time.Minute))
	for _, c := range []struct{ action, input string }{
		{"ecs:CreateService", `{"cluster":"c","serviceName":"api","taskDefinition":"f","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`},
		{"sim:SetTraffic", `{"cluster":"c","service":"api","traffic":{"shape":"constant(200)","cpuPerRequest":"1ms","memoryBaseMiB":128}}`},
	} {
		_, err := w.Call(c.action, []byte(c.input))
		require.NoError(t, err, c.action)
	}
	require.NoError(t, w.RunFor(6*time.Minute))
	web := stats(t, w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "c", "ServiceName", "web")
	added := stats(t, w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "c", "ServiceName", "api")
	require.Equal(t, []float64{20, 20}, []float64{web[2*time.Minute], web[8*time.Minute]})
	require.Equal(t, 40.0, added[8*time.Minute], "100 requests/s on each task at 1 ms: 102.4 units of 256")
	_, before := added[2*time.Minute]
	require.False(t, before, "no datapoint before the service existed")
	require.Equal(t, 3.0, stats(t, w, "ECS/ContainerInsights", "RunningTaskCount", "Maximum", "ClusterName", "c", "ServiceName", "slow")[8*time.Minute])
}
