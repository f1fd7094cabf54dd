package io.raftswarm.orderer.participation;

/**
 * Why a join or remove was refused; {@link Failure} maps to the HTTP status Fabric's
 * {@code restapi.go} answers for the same error.
 */
public final class ParticipationException extends Exception {
  /** Fabric's {@code types.Err*} values, plus a plain bad request. */
  public enum Failure {
    /** {@code ErrChannelAlreadyExists}: 405 with Allow: GET, DELETE. */
    ALREADY_EXISTS("channel already exists"),
    /** {@code ErrChannelNotExist}: 404. */
    NOT_EXIST("channel does not exist"),
    /** {@code ErrChannelPendingRemoval}: 409. */
    PENDING_REMOVAL("channel pending removal"),
    /** {@code ErrChannelRemovalFailure}: 500. */
    REMOVAL_FAILURE("channel removal failure"),
    /** Anything else: 400. */
    BAD_REQUEST(null);

    private final String fabricText;

    Failure(String fabricText) {
      this.fabricText = fabricText;
    }
  }

  private final Failure failure;

  public ParticipationException(Failure failure, String detail) {
    super(failure.fabricText == null ? detail : detail == null ? failure.fabricText : failure.fabricText + ": " + detail);
    this.failure = failure;
  }

  private ParticipationException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  /** The same failure with what was attempted in front, as Fabric words it ("cannot join: ..."). */
  public ParticipationException during(String attempt) {
    return new ParticipationException(failure, attempt + ": " + getMessage(), this);
  }

  public Failure failure() {
    return failure;
  }
}
