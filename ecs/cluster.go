package ecs

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
)

// Cluster statuses. [API:Cluster.status]
const (
	ClusterActive   = "ACTIVE"
	ClusterInactive = "INACTIVE"
)

// DefaultClusterName is the cluster ECS assumes when a request names none.
// [API:CreateClusterRequest.clusterName]
const DefaultClusterName = "default"

// ClusterSetting is a cluster setting such as containerInsights.
type ClusterSetting struct {
	Name  *string `json:"name,omitempty"`
	Value *string `json:"value,omitempty"`
}

// CapacityProviderStrategyItem is one provider of a capacity provider
// strategy with its base and weight.
type CapacityProviderStrategyItem struct {
	CapacityProvider *string `json:"capacityProvider,omitempty"`
	Weight           *int32  `json:"weight,omitempty"`
	Base             *int32  `json:"base,omitempty"`
}

// KeyValuePair is a name-value pair, as in cluster statistics.
type KeyValuePair struct {
	Name  *string `json:"name,omitempty"`
	Value *string `json:"value,omitempty"`
}

// Cluster is the API shape of a cluster.
type Cluster struct {
	ClusterArn                        string                         `json:"clusterArn"`
	ClusterName                       string                         `json:"clusterName"`
	Configuration                     json.RawMessage                `json:"configuration,omitempty"`
	Status                            string                         `json:"status"`
	RegisteredContainerInstancesCount int32                          `json:"registeredContainerInstancesCount"`
	RunningTasksCount                 int32                          `json:"runningTasksCount"`
	PendingTasksCount                 int32                          `json:"pendingTasksCount"`
	ActiveServicesCount               int32                          `json:"activeServicesCount"`
	Statistics                        []KeyValuePair                 `json:"statistics"`
	Tags                              []api.Tag                      `json:"tags,omitempty"`
	Settings                          []ClusterSetting               `json:"settings,omitempty"`
	CapacityProviders                 []string                       `json:"capacityProviders"`
	DefaultCapacityProviderStrategy   []CapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy"`
	ServiceConnectDefaults            json.RawMessage                `json:"serviceConnectDefaults,omitempty"`
}

// cluster is the model's record of a cluster. The counters are kept up to
// date by the task and service code.
type cluster struct {
	arn           string
	name          string
	status        string
	configuration json.RawMessage
	settings      []ClusterSetting
	tags          []api.Tag
	providers     []string
	strategy      []CapacityProviderStrategyItem
	scDefaults    json.RawMessage

	activeServices int32
	services       map[string]*service // by name, all statuses
	serviceNames   []string            // the keys of services; sorted unless namesUnsorted
	namesUnsorted  bool
	// rows are the services in name order with their metrics as last
	// computed, for the metrics feed each minute; nil after a service
	// was added or replaced.
	rows []metricsRow

	sched     *scheduler.Cluster // placement state of the EC2 instances
	instances []*instance        // registration order, INACTIVE ones included
	waiting   []*task            // tasks in PROVISIONING waiting for capacity
}

func (c *cluster) shape(m *ECS, withTags, withSettings bool) Cluster {
	var running, pending int32
	for t := range m.eachTask {
		if t.cl != c || t.last == StatusStopped {
			continue
		}
		switch {
		case t.last == StatusRunning:
			running++
		case t.pendingLike():
			pending++
		}
	}
	out := Cluster{
		ClusterArn:                        c.arn,
		ClusterName:                       c.name,
		Configuration:                     c.configuration,
		Status:                            c.status,
		RegisteredContainerInstancesCount: c.registered(),
		RunningTasksCount:                 running,
		PendingTasksCount:                 pending,
		ActiveServicesCount:               c.activeServices,
		Statistics:                        []KeyValuePair{},
		CapacityProviders:                 slices.Clone(c.providers),
		DefaultCapacityProviderStrategy:   slices.Clone(c.strategy),
		ServiceConnectDefaults:            c.scDefaults,
	}
	if out.CapacityProviders == nil {
		out.CapacityProviders = []string{}
	}
	if out.DefaultCapacityProviderStrategy == nil {
		out.DefaultCapacityProviderStrategy = []CapacityProviderStrategyItem{}
	}
	if withTags {
		out.Tags = slices.Clone(c.tags)
	}
	if withSettings {
		out.Settings = slices.Clone(c.settings)
	}
	return out
}

type clusterStore struct {
	byName   map[string]*cluster
	active   int      // clusters whose status is ACTIVE, for MaxClusters
	names    []string // the keys of byName; sorted unless unsorted
	unsorted bool
}

func newClusterStore() *clusterStore { return &clusterStore{byName: make(map[string]*cluster)} }

// add records a cluster under its name, replacing an INACTIVE one.
func (s *clusterStore) add(c *cluster) {
	if _, again := s.byName[c.name]; !again {
		if k := len(s.names); k > 0 && s.names[k-1] > c.name {
			s.unsorted = true
		}
		s.names = append(s.names, c.name)
	}
	s.byName[c.name] = c
}

// sortedNames returns the names of every cluster, sorted; it sorts only
// after names were added out of order.
func (s *clusterStore) sortedNames() []string {
	if s.unsorted {
		slices.Sort(s.names)
		s.unsorted = false
	}
	return s.names
}

// sorted returns the clusters ordered by name, for stable listings.
func (s *clusterStore) sorted() []*cluster {
	names := s.sortedNames()
	out := make([]*cluster, len(names))
	for i, n := range names {
		out[i] = s.byName[n]
	}
	return out
}

// clusterName extracts the name from a cluster name or ARN; "" means the
// default cluster.
func clusterName(ref string) string {
	if ref == "" {
		return DefaultClusterName
	}
	if strings.HasPrefix(ref, "arn:") {
		if _, name, ok := strings.Cut(ref, ":cluster/"); ok {
			return name
		}
	}
	return ref
}

// activeCluster resolves a cluster reference (name, ARN or empty for
// default) to an ACTIVE cluster, or ClusterNotFoundException.
func (m *ECS) activeCluster(ref *string) (*cluster, error) {
	c, ok := m.clusters.byName[clusterName(api.Deref(ref))]
	if !ok || c.status != ClusterActive {
		return nil, clusterNotFound()
	}
	return c, nil
}

// CreateClusterInput is the input of CreateCluster.
type CreateClusterInput struct {
	ClusterName                     *string                        `json:"clusterName,omitempty"`
	Tags                            []api.Tag                      `json:"tags,omitempty"`
	Settings                        []ClusterSetting               `json:"settings,omitempty"`
	Configuration                   json.RawMessage                `json:"configuration,omitempty"`
	CapacityProviders               []string                       `json:"capacityProviders,omitempty"`
	DefaultCapacityProviderStrategy []CapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy,omitempty"`
	ServiceConnectDefaults          json.RawMessage                `json:"serviceConnectDefaults,omitempty"`
}

// CreateClusterOutput is the output of CreateCluster.
type CreateClusterOutput struct {
	Cluster Cluster `json:"cluster"`
}

// CreateCluster creates a cluster, named "default" when no name is given.
// Like ECS, it is idempotent: creating an ACTIVE cluster again returns it
// unchanged.
func (m *ECS) CreateCluster(in *CreateClusterInput) (*CreateClusterOutput, error) {
	name := DefaultClusterName
	if in.ClusterName != nil {
		name = *in.ClusterName
	}
	if !nameRE.MatchString(name) {
		return nil, api.InvalidParameter("Cluster name must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.").At("clusterName")
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	if err := validateClusterSettings(in.Settings); err != nil {
		return nil, err
	}
	if len(in.CapacityProviders) > 0 {
		if err := m.checkProviders(nil, in.CapacityProviders); err != nil {
			return nil, err
		}
	}
	if len(in.DefaultCapacityProviderStrategy) > 0 {
		if err := m.checkStrategy(&cluster{providers: in.CapacityProviders}, in.DefaultCapacityProviderStrategy, "defaultCapacityProviderStrategy"); err != nil {
			return nil, err
		}
	}
	if c, ok := m.clusters.byName[name]; ok && c.status == ClusterActive {
		return &CreateClusterOutput{Cluster: c.shape(m, true, true)}, nil
	}
	if m.clusters.active >= MaxClusters {
		// ecssim's wording; AWS's text for this quota was not found.
		return nil, api.ClientException("The account has reached the limit of %d clusters in this Region. Delete clusters you no longer use.", MaxClusters)
	}
	c := &cluster{
		arn:           m.arn("cluster/" + name),
		name:          name,
		status:        ClusterActive,
		configuration: in.Configuration,
		settings:      slices.Clone(in.Settings),
		tags:          slices.Clone(in.Tags),
		providers:     slices.Clone(in.CapacityProviders),
		strategy:      slices.Clone(in.DefaultCapacityProviderStrategy),
		scDefaults:    in.ServiceConnectDefaults,
	}
	if len(c.settings) == 0 {
		c.settings = []ClusterSetting{{Name: api.String("containerInsights"), Value: api.String("disabled")}}
	}
	m.clusters.add(c)
	m.clusters.active++
	return &CreateClusterOutput{Cluster: c.shape(m, true, true)}, nil
}

// DescribeClustersInput is the input of DescribeClusters.
type DescribeClustersInput struct {
	Clusters []string `json:"clusters,omitempty"`
	Include  []string `json:"include,omitempty"`
}

// DescribeClustersOutput is the output of DescribeClusters.
type DescribeClustersOutput struct {
	Clusters []Cluster `json:"clusters"`
	Failures []Failure `json:"failures"`
}

// DescribeClusters describes up to 100 clusters by name or ARN; with none
// named it describes the default cluster. Unknown clusters are reported in
// failures with reason MISSING. INACTIVE clusters are still described.
func (m *ECS) DescribeClusters(in *DescribeClustersInput) (*DescribeClustersOutput, error) {
	if len(in.Clusters) > 100 {
		return nil, api.InvalidParameter("Clusters cannot have more than 100 elements")
	}
	var withTags, withSettings bool
	for _, inc := range in.Include {
		switch inc {
		case "TAGS":
			withTags = true
		case "SETTINGS":
			withSettings = true
		case "ATTACHMENTS", "CONFIGURATIONS", "STATISTICS":
		default:
			return nil, api.InvalidParameter("Invalid include value %q. Valid values: ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS.", inc)
		}
	}
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{DefaultClusterName}
	}
	out := &DescribeClustersOutput{Clusters: []Cluster{}, Failures: []Failure{}}
	for _, ref := range refs {
		c, ok := m.clusters.byName[clusterName(ref)]
		if !ok {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = m.arn("cluster/" + ref)
			}
			out.Failures = append(out.Failures, Failure{Arn: &arn, Reason: api.String("MISSING")})
			continue
		}
		out.Clusters = append(out.Clusters, c.shape(m, withTags, withSettings))
	}
	return out, nil
}

// ListClustersInput is the input of ListClusters.
type ListClustersInput struct {
	NextToken  *string `json:"nextToken,omitempty"`
	MaxResults *int32  `json:"maxResults,omitempty"`
}

// ListClustersOutput is the output of ListClusters.
type ListClustersOutput struct {
	ClusterArns []string `json:"clusterArns"`
	NextToken   *string  `json:"nextToken,omitempty"`
}

// ListClusters lists the ARNs of ACTIVE clusters, sorted by name, at most
// 100 per page.
func (m *ECS) ListClusters(in *ListClustersInput) (*ListClustersOutput, error) {
	active := func(name string) bool { return m.clusters.byName[name].status == ClusterActive }
	page, next, err := paginateSorted(m.clusters.sortedNames(), active, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	arns := make([]string, len(page))
	for i, n := range page {
		arns[i] = m.clusters.byName[n].arn
	}
	return &ListClustersOutput{ClusterArns: arns, NextToken: next}, nil
}

// DeleteClusterInput is the input of DeleteCluster.
type DeleteClusterInput struct {
	Cluster *string `json:"cluster,omitempty"`
}

// DeleteClusterOutput is the output of DeleteCluster.
type DeleteClusterOutput struct {
	Cluster Cluster `json:"cluster"`
}

// DeleteCluster marks a cluster INACTIVE. It is refused while the cluster
// has active services, tasks or registered container instances, with the
// exceptions and messages ECS uses. [API:DeleteCluster]
func (m *ECS) DeleteCluster(in *DeleteClusterInput) (*DeleteClusterOutput, error) {
	if in.Cluster == nil {
		return nil, api.InvalidParameter("cluster must be specified.").At("cluster")
	}
	c, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	switch {
	case c.registered() > 0:
		return nil, api.Errorf(CodeClusterContainsContainerInstance, "The Cluster cannot be deleted while Container Instances are active or draining.")
	case c.activeServices > 0:
		return nil, api.Errorf(CodeClusterContainsServices, "The Cluster cannot be deleted while Services are active.")
	case m.clusterHasTasks(c):
		return nil, api.Errorf(CodeClusterContainsTasks, "The Cluster cannot be deleted while Tasks are active.")
	}
	c.status = ClusterInactive
	m.clusters.active--
	return &DeleteClusterOutput{Cluster: c.shape(m, true, true)}, nil
}

// clusterHasTasks reports whether any task of the cluster is not STOPPED.
func (m *ECS) clusterHasTasks(c *cluster) bool {
	for t := range m.eachTask {
		if t.cl == c && t.last != StatusStopped {
			return true
		}
	}
	return false
}

// validateClusterSettings accepts containerInsights = enabled | disabled |
// enhanced. [API:ClusterSetting]
func validateClusterSettings(settings []ClusterSetting) error {
	for i, s := range settings {
		if api.Deref(s.Name) != "containerInsights" {
			return api.InvalidParameter("Invalid cluster setting name %q. Valid names: containerInsights.", api.Deref(s.Name)).At(indexPath("settings", i, "name"))
		}
		switch api.Deref(s.Value) {
		case "enabled", "disabled", "enhanced":
		default:
			return api.InvalidParameter("Invalid value %q for setting containerInsights. Valid values: enabled, disabled, enhanced.", api.Deref(s.Value)).At(indexPath("settings", i, "value"))
		}
	}
	return nil
}

// mergeSettings replaces settings of the same name and appends new ones.
func mergeSettings(have, set []ClusterSetting) []ClusterSetting {
	out := slices.Clone(have)
	for _, s := range set {
		i := slices.IndexFunc(out, func(x ClusterSetting) bool { return api.Deref(x.Name) == api.Deref(s.Name) })
		if i >= 0 {
			out[i] = s
		} else {
			out = append(out, s)
		}
	}
	return out
}

// UpdateClusterInput is the input of UpdateCluster.
type UpdateClusterInput struct {
	Cluster                *string          `json:"cluster,omitempty"`
	Settings               []ClusterSetting `json:"settings,omitempty"`
	Configuration          json.RawMessage  `json:"configuration,omitempty"`
	ServiceConnectDefaults json.RawMessage  `json:"serviceConnectDefaults,omitempty"`
}

// UpdateClusterOutput is the output of UpdateCluster.
type UpdateClusterOutput struct {
	Cluster Cluster `json:"cluster"`
}

// UpdateCluster changes a cluster's settings, configuration or Service
// Connect defaults. [API:UpdateCluster]
func (m *ECS) UpdateCluster(in *UpdateClusterInput) (*UpdateClusterOutput, error) {
	if in.Cluster == nil || *in.Cluster == "" {
		return nil, api.InvalidParameter("cluster must be specified.").At("cluster")
	}
	c, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if err := validateClusterSettings(in.Settings); err != nil {
		return nil, err
	}
	c.settings = mergeSettings(c.settings, in.Settings)
	if in.Configuration != nil {
		c.configuration = in.Configuration
	}
	if in.ServiceConnectDefaults != nil {
		c.scDefaults = in.ServiceConnectDefaults
	}
	return &UpdateClusterOutput{Cluster: c.shape(m, true, true)}, nil
}

// UpdateClusterSettingsInput is the input of UpdateClusterSettings.
type UpdateClusterSettingsInput struct {
	Cluster  *string          `json:"cluster,omitempty"`
	Settings []ClusterSetting `json:"settings,omitempty"`
}

// UpdateClusterSettings changes a cluster's settings. [API:UpdateClusterSettings]
func (m *ECS) UpdateClusterSettings(in *UpdateClusterSettingsInput) (*UpdateClusterOutput, error) {
	if len(in.Settings) == 0 {
		return nil, api.InvalidParameter("settings must be specified.").At("settings")
	}
	return m.UpdateCluster(&UpdateClusterInput{Cluster: in.Cluster, Settings: in.Settings})
}

// registered counts the cluster's ACTIVE and DRAINING instances.
func (c *cluster) registered() int32 {
	n := int32(0)
	for _, in := range c.instances {
		if in.status != InstanceInactive {
			n++
		}
	}
	return n
}
