// Package autoscaling simulates Application Auto Scaling for ECS services:
// scalable targets, target tracking policies with the CloudWatch alarms
// they create, scheduled actions, and the scaling activities they leave.
// Policies execute when a CloudWatch alarm whose actions list the policy's
// ARN is in ALARM ([Autoscaling.AlarmAction], wired by the World): step
// scaling at once (step.go), target tracking once every alarm of the
// instant is in (model.go). Target tracking creates its alarms through
// [Alarms] (alarms.go), which the World implements with package
// cloudwatch.
//
// Its actions are named "application-autoscaling:<Action>" in the action
// table and take the service's PascalCase JSON. The scaled resource is
// reached through [Resources], which the World implements with the ECS
// model: a service's desired count and whether it is being deployed.
//
// Target tracking follows the documented behaviour: a scale-out alarm after
// 3 consecutive one-minute datapoints above the target, a scale-in alarm
// after 15 below 90% of it; the new capacity is proportional to the metric,
// rounded so as never to add too little or remove too much; cooldowns; no
// scale-in while an ECS deployment runs. The arithmetic is in calc.go, the
// schedule expressions in schedule.go. An execution that leaves the
// capacity as it is records a not scaled activity with AWS's reason code
// (notscaled.go), listed with IncludeNotScaledActivities.
package autoscaling
