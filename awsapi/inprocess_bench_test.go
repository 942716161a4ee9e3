package awsapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

// BenchmarkInProcess measures one DescribeServices of a three-task
// service: through the AWS SDK served in process (signing, serialising,
// the handler, deserialising), and the same call on the World directly.
// The poll interval is off so that every iteration does the same work.
func BenchmarkInProcess(b *testing.B) {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(b, err)
	ctx := context.Background()
	client := sdkecs.NewFromConfig(awsapi.Config(w, awsapi.WithPollInterval(0)))
	sdkService(b, ctx, client)
	require.NoError(b, w.RunFor(10*time.Minute))
	in := &sdkecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.DescribeServices(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("world", func(b *testing.B) {
		body := []byte(`{"cluster":"demo","services":["web"]}`)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := w.Call("ecs:DescribeServices", body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
