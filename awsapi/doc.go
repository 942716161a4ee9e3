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
//   - CloudWatch speaks all three protocols of its model, each answered in
//     kind: Smithy RPC v2 CBOR (POST
//     /service/GraniteServiceVersion20100801/operation/<Action>, as the
//     AWS SDK for Go v2 sends it), AWS JSON 1.0 (X-Amz-Target
//     GraniteServiceVersion20100801.<Action>, as the aws CLI sends it) and
//     Query (Version 2010-08-01). A CBOR input is decoded into the
//     action's JSON input and the JSON output encoded as CBOR (cbor.go).
//     CloudWatch is Query-compatible: its JSON and CBOR errors name the
//     error shape in __type, carry the Query code in an
//     X-Amzn-Query-Error header, and use the model's status (404 for
//     ResourceNotFound).
//
// A request body sent with Content-Encoding: gzip (the SDKs compress
// CloudWatch's PutMetricData) is decompressed first.
//
// A request for a service or action that is not simulated gets an error
// in the protocol its client speaks, never a body it cannot parse.
//
// A Server serves its World's region; a request signed for another region
// is refused with AWS's error for a wrongly scoped credential, unless
// [Server.ServeRegions] says how to make a World for each other region.
//
// Virtual time does not pass by itself: a client advances it with the
// control routes under /_ecssim/ (see [ControlPrefix]: POST /_ecssim/run
// {"for":"10m"}, at most [MaxRunSpan] a request), by starting the server
// with a speed ([Server.Follow]: virtual time follows the wall clock), or
// with an advance per poll ([Server.SetPollAdvance]: each Describe, List or
// Get call moves the clock first), so that pollers such as
// `aws ecs wait services-stable` see the world move. The control routes
// also call any action of the table, including the sim: actions (faults,
// traffic, instances), reset the World, and stream the trace.
//
// The World is single-threaded: every request takes the server's lock
// while it touches the World, and none holds it while writing to a
// client. A run request advances the clock a slice at a time, unlocking
// between slices, and stops when its client goes away.
//
// In process: [Config] returns an aws.Config whose clients hand each
// request to a [Transport] that calls the Server's ServeHTTP directly, with
// no socket and no goroutine, so a program's own SDK code drives a World
// inside a test. There virtual time passes one poll interval before each
// read (Describe, List, Get); see [Transport] for the exact rule.
package awsapi
