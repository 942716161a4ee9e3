package sts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sts"
)

func TestGetCallerIdentity(t *testing.T) {
	tab := api.NewTable()
	sts.Identity{AccountID: "111122223333"}.Register(tab)
	out, err := tab.Invoke("sts:GetCallerIdentity", nil)
	require.NoError(t, err)
	require.JSONEq(t, `{"UserId":"111122223333","Account":"111122223333","Arn":"arn:aws:iam::111122223333:root"}`, string(out))
	_, err = tab.Invoke("sts:GetCallerIdentity", []byte(`{"Account":"x"}`))
	require.Equal(t, api.CodeSerializationException, api.ErrorCode(err), "the action takes no input")
}
