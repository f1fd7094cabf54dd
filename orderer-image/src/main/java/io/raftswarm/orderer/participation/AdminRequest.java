package io.raftswarm.orderer.participation;

/**
 * One HTTP request to the admin endpoint, as the transport read it.
 *
 * @param accept the Accept header, "" if absent
 * @param contentType the Content-Type header, "" if absent
 * @param body the whole body (the transport caps its size)
 */
public record AdminRequest(String method, String path, String accept, String contentType, byte[] body) {}
