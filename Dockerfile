# The digit server in a container: TF Serving's REST API, /v1/classify and the drawing page on 8501.
#   docker build -t digits .
#   docker run --rm -p 8501:8501 digits                                   # the bundled model
#   docker run --rm -p 8501:8501 -v "$PWD/saved-model:/app/saved-model" digits   # your own versions
# Stage 1 builds the application with Maven; stage 2 is a glibc-based JRE (TensorFlow's native
# library needs glibc, so no Alpine) with fonts for the report's charts.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
COPY saved-model saved-model
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/digit-recognizer.jar /app/
COPY --from=build /src/target/lib /app/lib
COPY saved-model /app/saved-model
ENV TF_CPP_MIN_LOG_LEVEL=2
EXPOSE 8501
ENTRYPOINT ["java", "-jar", "/app/digit-recognizer.jar", "serve", "--host", "0.0.0.0", "--port", "8501", "--model", "/app/saved-model"]
