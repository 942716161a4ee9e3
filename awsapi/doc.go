// Package awsapi serves a World over HTTP in the AWS wire protocols, so that
// code and tools that already speak AWS — the AWS SDK for Go v2, the aws
// CLI, deploy tools — work against a simulation by pointing their endpoint
// at it.
//
// Requests are routed to a simulated service by the service named in
// their SigV4 credential scope (".../us-east-1/ecs/aws4_request"), as the
// SDKs sign them, and answered in that service's protocol:
//
//   - ECS and Application Auto Scaling speak AWS JSON 1.1: a POST whose
//     X-Amz-Target header names the operation
//     ("AmazonEC2ContainerServiceV20141113.RunTask") and whose body is the
//     operation's JSON input. Errors come back as AWS sends them: status
//     400 (500 for server faults), an X-Amzn-ErrorType header, and a body
//     {"__type": "<code>", "message": "<message>"}.
//   - STS and ELBv2 speak the AWS Query protocol: a form
//     ("Action=GetCallerIdentity&Version=2011-06-15") in, XML out
//     (<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>),
//     errors as <ErrorResponse><Error><Type/><Code/><Message/></Error>.
//     The form is decoded into the JSON input of the action table's entry
//     ("elbv2:DescribeTargetGroups"), each value converted to the type of
//     its input member, and the JSON output is encoded as XML; a Query
//     service is served as soon as its actions are in the table.
//   - EC2 speaks its own dialect of the Query protocol (flat lists, <item>
//     elements, no Result wrapper).
//
// A request for a service or action that is not simulated gets an error
// in the protocol its client speaks, never a body it cannot parse.
//
// Virtual time does not pass by itself: a client advances it, either with
// the control endpoints under /_ecssim/ (POST /_ecssim/run {"for":"10m"},
// GET /_ecssim/now, GET /_ecssim/trace), or by starting the server with a
// speed, at which virtual time follows the wall clock (speed 60: a
// simulated minute each second), so that pollers such as
// `aws ecs wait services-stable` see the world move.
//
// Every request holds the World's lock: the World is single-threaded.
//
// In process: [Config] returns an aws.Config whose clients hand each
// request to a [Transport] that calls the Server's ServeHTTP directly, with
// no socket and no goroutine, so a program's own SDK code drives a World
// inside a test. There virtual time passes one poll interval before each
// read (Describe, List, Get); see [Transport] for the exact rule.
package awsapi
