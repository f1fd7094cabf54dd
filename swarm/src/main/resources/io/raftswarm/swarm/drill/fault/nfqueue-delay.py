#!/usr/bin/env python3
"""The slow-network drill's delay on hosts whose kernel has no netem: an iptables NFQUEUE rule
hands each packet for another host to this program, which holds it DELAY_MS +/- JITTER_MS
(normal distribution, never below 0) and then lets it go (NF_ACCEPT), as netem would.

Usage: nfqueue-delay.py QUEUE DELAY_MS JITTER_MS
Prints "bound" once it owns the queue. On SIGTERM it lets every held packet go at once, prints
"held N packets, mean D ms, max M ms" (and how often the kernel dropped packets it could not hand
over: "receive overruns") and exits. Standard library only: the kernel's
nfnetlink_queue protocol spoken over a netlink socket (linux/netfilter/nfnetlink_queue.h).
If it dies, the rule's --queue-bypass lets packets through undelayed rather than drop them.
"""
import errno
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SUBSYS_QUEUE = 3
MSG_PACKET, MSG_VERDICT, MSG_CONFIG = 0, 1, 2
F_REQUEST, F_ACK = 1, 4
NLMSG_ERROR = 2
CFG_CMD, CFG_PARAMS, CFG_QUEUE_MAXLEN = 1, 2, 3
CMD_BIND = 1
COPY_META = 1  # the packet's id and metadata only, never its bytes
PACKET_HDR, VERDICT_HDR = 1, 2
NF_ACCEPT = 1
SO_RCVBUFFORCE = 33


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * (-length % 4)


def message(kind, queue, attrs, flags=F_REQUEST):
    body = struct.pack("!BBH", socket.AF_UNSPEC, 0, queue) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (SUBSYS_QUEUE << 8) | kind, flags, 0, 0) + body


def messages(data):
    """(type, body) of each netlink message in data."""
    at = 0
    while at + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, at)
        if length < 16:
            return
        yield kind, data[at + 16:at + length]
        at += (length + 3) & ~3


def packet_id(body):
    at = 4  # after the nfgenmsg header
    while at + 4 <= len(body):
        length, kind = struct.unpack_from("=HH", body, at)
        if length < 4:
            return None
        if kind & 0x3FFF == PACKET_HDR:
            return struct.unpack_from("!I", body, at + 4)[0]
        at += (length + 3) & ~3
    return None


def configure(sock, queue, attrs):
    sock.send(message(MSG_CONFIG, queue, attrs, F_REQUEST | F_ACK))
    for kind, body in messages(sock.recv(65536)):
        if kind == NLMSG_ERROR:
            code = struct.unpack_from("=i", body, 0)[0]
            if code != 0:
                sys.exit("cannot own NFQUEUE %d: %s" % (queue, os.strerror(-code)))


def accept(sock, queue, pid):
    sock.send(message(MSG_VERDICT, queue, [attr(VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid))]))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    queue, delay, jitter = int(sys.argv[1]), float(sys.argv[2]) / 1000, float(sys.argv[3]) / 1000
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)  # a burst of packets must not overflow it
    sock.bind((0, 0))
    configure(sock, queue, [attr(CFG_CMD, struct.pack("!BxH", CMD_BIND, socket.AF_INET))])
    configure(sock, queue, [attr(CFG_PARAMS, struct.pack("!IB", 0, COPY_META)),
                            attr(CFG_QUEUE_MAXLEN, struct.pack("!I", 65536))])
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # the signal also writes to this pipe, so a select() waiting for packets returns at once
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    print("bound", flush=True)
    held, count, total, longest, overruns = [], 0, 0.0, 0.0, 0
    while not stopping:
        now = time.monotonic()
        while held and held[0][0] <= now:
            due, arrived, pid = heapq.heappop(held)
            accept(sock, queue, pid)
            waited = now - arrived
            count, total, longest = count + 1, total + waited, max(longest, waited)
        try:
            ready, _, _ = select.select([sock, wake_r], [], [], max(0.0, held[0][0] - now) if held else 1.0)
        except InterruptedError:
            continue
        if sock in ready:
            try:
                data = sock.recv(1 << 20)
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                overruns += 1  # the kernel could not hand us some packets: it dropped them, as a full netem queue would
                continue
            arrived = time.monotonic()
            for kind, body in messages(data):
                pid = packet_id(body) if kind == (SUBSYS_QUEUE << 8) | MSG_PACKET else None
                if pid is not None:
                    heapq.heappush(held, (arrived + max(0.0, random.gauss(delay, jitter)), arrived, pid))
    for _, _, pid in held:
        accept(sock, queue, pid)
    print("held %d packets, mean %.0f ms, max %.0f ms%s" % (count, 1000 * total / count if count else 0, 1000 * longest,
                                                           ", %d receive overruns (packets dropped)" % overruns if overruns else ""),
          flush=True)


if __name__ == "__main__":
    main()
