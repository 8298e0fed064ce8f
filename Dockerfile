# javalived container image. Run with the host's network and the capabilities a director needs:
#   docker run --network host --cap-add NET_ADMIN --cap-add NET_RAW \
#     -v /etc/keepalived/keepalived.conf:/etc/keepalived/keepalived.conf:ro javalived
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/cli/target/javalived.jar /opt/javalived/cli/target/javalived.jar
COPY --from=build /src/javalived /opt/javalived/javalived
ENV JAVALIVED_JAR=/opt/javalived/cli/target/javalived.jar
ENTRYPOINT ["/opt/javalived/javalived"]
CMD ["run", "-f", "/etc/keepalived/keepalived.conf"]
