// Package sts simulates the one AWS Security Token Service call that
// deploy tools make before they deploy: GetCallerIdentity, which tells the
// account the credentials belong to. ecssim checks no credentials, so the
// caller is always the simulated account's root user.
//
// The action is registered in the action table as "sts:GetCallerIdentity"
// and served by package awsapi in the AWS Query protocol, so
// `aws sts get-caller-identity` works against an ecssim endpoint.
package sts
