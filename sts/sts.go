package sts

import "github.com/ecssim/ecssim/api"

// GetCallerIdentityInput is the input of GetCallerIdentity: it has no
// members. [API:sts/GetCallerIdentityRequest]
type GetCallerIdentityInput struct{}

// GetCallerIdentityOutput tells who the caller is.
// [API:sts/GetCallerIdentityResponse]
type GetCallerIdentityOutput struct {
	// UserId is the caller's unique id; for an account's root user it is
	// the account id.
	UserId string `json:"UserId"`
	// Account is the 12-digit account id.
	Account string `json:"Account"`
	// Arn is the caller's ARN.
	Arn string `json:"Arn"`
}

// Identity answers GetCallerIdentity for one account.
type Identity struct {
	// AccountID is the simulated account.
	AccountID string
}

// GetCallerIdentity returns the account's root user: every request to a
// simulation acts as the account itself, whatever its credentials. A root
// user's UserId is the account id and its ARN arn:aws:iam::<account>:root.
// [https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html]
func (id Identity) GetCallerIdentity(*GetCallerIdentityInput) (*GetCallerIdentityOutput, error) {
	return &GetCallerIdentityOutput{
		UserId:  id.AccountID,
		Account: id.AccountID,
		Arn:     "arn:aws:iam::" + id.AccountID + ":root",
	}, nil
}

// Register adds "sts:GetCallerIdentity" to t.
func (id Identity) Register(t *api.Table) {
	api.Register(t, "sts:GetCallerIdentity", id.GetCallerIdentity)
}
