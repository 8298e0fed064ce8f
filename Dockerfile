# javalived container image: the director of a keepalived.conf (VRRP + IPVS + health checks) in one JVM.
#
# Build:  docker build -t javalived .
# Run:    docker run -d --name javalived --init --network host --cap-add NET_ADMIN --cap-add NET_RAW \
#           -v /etc/keepalived:/etc/keepalived:ro javalived
#   --network host      VRRP, VIPs and IPVS live in the host's network namespace
#   NET_ADMIN, NET_RAW  addresses and IPVS over netlink; VRRP, ARP and ICMP sockets
#   -v ...:ro           keepalived.conf (and what it includes) at /etc/keepalived/keepalived.conf
#   --init              reaps what notify/check scripts leave behind (the JVM is not an init)
# The host needs the ip_vs module loaded (modprobe ip_vs) for virtual servers. Other options replace CMD, e.g.
# VRRP only: ... javalived run -f /etc/keepalived/keepalived.conf -P.
# Reload: docker kill -s HUP javalived. Stop: docker stop -t 30 javalived (VRRP priority 0, VIPs and own IPVS
# entries removed). Logs: docker logs javalived. Metrics: http://127.0.0.1:9650/metrics on the host.
# Status: docker exec javalived javalived status.
# Checked by integration-tests/.../it/packaging/DockerfileTest (COPY sources, the runtime layout, ENTRYPOINT).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package
# the installed layout (jar, launcher, man page and completion generated from the jar) under /image
RUN packaging/install.sh --destdir /image --prefix /usr

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="javalived" \
      org.opencontainers.image.description="Load-balancer director: VRRP + IPVS + health checks, reads keepalived.conf"
# iproute2 and ipvsadm for operators (docker exec javalived ip addr / ipvsadm -Ln); javalived needs neither
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 ipvsadm \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /image/usr/share/javalived/javalived.jar /usr/share/javalived/javalived.jar
COPY --from=build /image/usr/bin/javalived /usr/bin/javalived
COPY --from=build /image/usr/share/man/man1/javalived.1.gz /usr/share/man/man1/javalived.1.gz
COPY --from=build /image/usr/share/bash-completion/completions/javalived /usr/share/bash-completion/completions/javalived
COPY --from=build /image/usr/share/javalived/build-cds-archive /usr/share/javalived/build-cds-archive
# the class archive for fast 'docker exec javalived javalived status': built here, for this image's JVM and the
# jar's path in it (one from the build stage would not fit); without it the commands only start slower
RUN /usr/share/javalived/build-cds-archive /usr/share/javalived/javalived.jar
# and the daemon's (javalived run maps it when JAVALIVED_JAVA_OPTS names it: docs/OPERATORS.md, "The daemon's JVM")
RUN /usr/share/javalived/build-cds-archive --daemon /usr/share/javalived/javalived.jar
# the launcher runs this jar and never tries to build
ENV JAVALIVED_JAR=/usr/share/javalived/javalived.jar
# no EXPOSE: with --network host nothing is published, and /metrics listens on 127.0.0.1:9650 by default
ENTRYPOINT ["/usr/bin/javalived"]
CMD ["run", "-f", "/etc/keepalived/keepalived.conf"]
