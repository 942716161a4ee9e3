package cloudwatch

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Config is what the model needs to know about its account, and its
// publication delays.
type Config struct {
	Region, AccountID string
	// PutDelay is how long a datapoint sent with PutMetricData takes to
	// become visible to reads and alarms. Zero means none.
	PutDelay time.Duration
}

// CloudWatch is the simulated CloudWatch of one account: the metric store
// and the alarms on it.
type CloudWatch struct {
	eng     *sim.Engine
	cfg     Config
	store   *Store
	alarms  map[string]*alarm
	names   []string // sorted alarm names
	history []historyRecord
	actions []actionHandler
	noMemo  bool // evaluate in full every minute (tests compare both ways)
}

// New returns an empty CloudWatch running on eng.
func New(eng *sim.Engine, cfg Config) *CloudWatch {
	c := &CloudWatch{eng: eng, cfg: cfg, store: NewStore(), alarms: map[string]*alarm{}}
	// The feeds' flushes may store samples on a second goroutine
	// during a run (Store.FlushBehind); the run waits for them.
	eng.OnRunEnd(c.store.Settle)
	return c
}

// Store returns the metric store, for the feeds that publish the
// simulation's own metrics into it.
func (c *CloudWatch) Store() *Store { return c.store }

// Register adds the actions to t as "cloudwatch:<Action>".
func (c *CloudWatch) Register(t *api.Table) {
	api.Register(t, "cloudwatch:PutMetricData", c.PutMetricData)
	api.Register(t, "cloudwatch:GetMetricStatistics", c.GetMetricStatistics)
	api.Register(t, "cloudwatch:GetMetricData", c.GetMetricData)
	api.Register(t, "cloudwatch:ListMetrics", c.ListMetrics)
	api.Register(t, "cloudwatch:PutMetricAlarm", c.PutMetricAlarm)
	api.Register(t, "cloudwatch:DescribeAlarms", c.DescribeAlarms)
	api.Register(t, "cloudwatch:DescribeAlarmHistory", c.DescribeAlarmHistory)
	api.Register(t, "cloudwatch:DeleteAlarms", c.DeleteAlarms)
	api.Register(t, "cloudwatch:SetAlarmState", c.SetAlarmState)
	api.Register(t, "cloudwatch:EnableAlarmActions", c.EnableAlarmActions)
	api.Register(t, "cloudwatch:DisableAlarmActions", c.DisableAlarmActions)
}

func (c *CloudWatch) now() sim.Time { return c.eng.Now() }

func (c *CloudWatch) stamp(t sim.Time) api.Timestamp { return api.NewTimestamp(t.Time()) }
