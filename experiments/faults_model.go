package experiments

import "github.com/stretchsim/stretchsim/model"

// modelFault translates a validated fault into the model's.
func (f Fault) modelFault() model.FaultSpec {
	m := model.FaultSpec{At: f.At, Duration: f.Duration, Broker: f.Broker, Site: f.SiteID, Groups: f.GroupIDs,
		OneWay: f.OneWay, Between: f.BetweenIDs, RTT: f.RTT, Bandwidth: f.Bandwidth, Loss: f.Loss}
	switch f.Type {
	case FaultBrokerCrash:
		m.Kind = model.FaultBrokerCrash
	case FaultBrokerRestart:
		m.Kind = model.FaultBrokerRestart
	case FaultSiteOutage:
		m.Kind = model.FaultSiteOutage
	case FaultPartition:
		m.Kind = model.FaultPartition
	case FaultLatency:
		m.Kind = model.FaultLatency
	case FaultBandwidth:
		m.Kind = model.FaultBandwidth
	case FaultLoss:
		m.Kind = model.FaultLoss
	case FaultControllerCrash:
		m.Kind = model.FaultControllerCrash
	}
	switch f.Mode {
	case CrashSilent:
		m.Mode = model.CrashSilent
	case CrashClean:
		m.Mode = model.CrashClean
	default:
		m.Mode = model.CrashHard
	}
	return m
}
