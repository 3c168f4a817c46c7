package scenario

import "github.com/stretchsim/stretchsim/model"

// modelKinds and modelModes name the model's fault kind and crash mode for each scenario word.
var (
	modelKinds = map[FaultType]model.FaultKind{
		FaultBrokerCrash: model.FaultBrokerCrash, FaultBrokerRestart: model.FaultBrokerRestart,
		FaultSiteOutage: model.FaultSiteOutage, FaultPartition: model.FaultPartition,
		FaultLatency: model.FaultLatency, FaultBandwidth: model.FaultBandwidth, FaultLoss: model.FaultLoss,
		FaultControllerCrash: model.FaultControllerCrash,
	}
	modelModes = map[CrashMode]model.CrashMode{
		"": model.CrashHard, CrashHard: model.CrashHard, CrashSilent: model.CrashSilent, CrashClean: model.CrashClean,
		CrashPower: model.CrashPower,
	}
)

// modelFault translates a validated fault into the model's.
func (f Fault) modelFault() model.FaultSpec {
	return model.FaultSpec{At: f.At, Duration: f.Duration, Kind: modelKinds[f.Type], Mode: modelModes[f.Mode],
		Broker: f.Broker, Site: f.SiteID, PowerLoss: f.PowerLoss, Groups: f.GroupIDs, OneWay: f.OneWay, Between: f.BetweenIDs,
		RTT: f.RTT, Bandwidth: f.Bandwidth, Loss: f.Loss}
}
