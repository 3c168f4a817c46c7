package model

// ErrorCode is a Kafka protocol error code, as a broker returns it per partition.
type ErrorCode uint8

// The Kafka errors the model produces (org.apache.kafka.common.protocol.Errors).
const (
	ErrNone ErrorCode = iota
	ErrNotEnoughReplicas
	ErrNotEnoughReplicasAfterAppend
	ErrRequestTimedOut
	ErrNotLeaderOrFollower
	ErrFencedLeaderEpoch
	ErrUnknownLeaderEpoch
	ErrNotController
	ErrInvalidUpdateVersion
	ErrIneligibleReplica
	ErrStaleBrokerEpoch
	ErrOutOfOrderSequenceNumber
	ErrNetworkException // client side: the connection broke or the request timed out (disconnect)
	ErrDeliveryTimeout  // client side: delivery.timeout.ms expired (TimeoutException)
	ErrBufferExhausted  // client side: buffer.memory full for max.block.ms (TimeoutException in send)
	ErrClientCrashed    // client side: the client's host failed with the batch queued or in flight
	ErrFetchSessionIDNotFound
	numErrorCodes
)

var errorNames = [...]string{
	ErrNone:                         "NONE",
	ErrNotEnoughReplicas:            "NOT_ENOUGH_REPLICAS",
	ErrNotEnoughReplicasAfterAppend: "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
	ErrRequestTimedOut:              "REQUEST_TIMED_OUT",
	ErrNotLeaderOrFollower:          "NOT_LEADER_OR_FOLLOWER",
	ErrFencedLeaderEpoch:            "FENCED_LEADER_EPOCH",
	ErrUnknownLeaderEpoch:           "UNKNOWN_LEADER_EPOCH",
	ErrNotController:                "NOT_CONTROLLER",
	ErrInvalidUpdateVersion:         "INVALID_UPDATE_VERSION",
	ErrIneligibleReplica:            "INELIGIBLE_REPLICA",
	ErrStaleBrokerEpoch:             "STALE_BROKER_EPOCH",
	ErrOutOfOrderSequenceNumber:     "OUT_OF_ORDER_SEQUENCE_NUMBER",
	ErrNetworkException:             "NETWORK_EXCEPTION",
	ErrDeliveryTimeout:              "DELIVERY_TIMEOUT",
	ErrBufferExhausted:              "BUFFER_EXHAUSTED",
	ErrClientCrashed:                "CLIENT_CRASHED",
	ErrFetchSessionIDNotFound:       "FETCH_SESSION_ID_NOT_FOUND",
}

// String returns Kafka's name for the error.
func (e ErrorCode) String() string {
	if int(e) < len(errorNames) {
		return errorNames[e]
	}
	return "UNKNOWN_SERVER_ERROR"
}

// Retriable reports whether the producer retries a batch that failed with e (reference §5.2).
func (e ErrorCode) Retriable() bool {
	switch e {
	case ErrNotEnoughReplicas, ErrNotEnoughReplicasAfterAppend, ErrRequestTimedOut,
		ErrNotLeaderOrFollower, ErrFencedLeaderEpoch, ErrUnknownLeaderEpoch, ErrNetworkException:
		return true
	}
	return false
}

// InvalidatesMetadata reports whether e makes the client refresh its metadata
// (InvalidMetadataException and disconnects).
func (e ErrorCode) InvalidatesMetadata() bool {
	switch e {
	case ErrNotLeaderOrFollower, ErrFencedLeaderEpoch, ErrUnknownLeaderEpoch, ErrNetworkException:
		return true
	}
	return false
}
