// The docker backend's pure parts: API version negotiation, DOCKER_HOST, the
// engine's framed log stream, image tars, and templates with JSON braces.
#include <gtest/gtest.h>

#include <cstdlib>

#include "atomixtest/error.hpp"
#include "atomixtest/profile.hpp"
#include "atomixtest/size.hpp"
#include "docker/engine_api/engine_client.hpp"
#include "docker/engine_api/log_stream.hpp"

namespace atomixtest::docker {
namespace {

TEST(ApiVersion, AnOlderEngineIsSpokenToInItsOwnVersion) {
    EXPECT_EQ(negotiate_api_version("1.41", "1.12"), "1.41");
}

TEST(ApiVersion, ANewerEngineIsSpokenToInTheNewestVersionKnownHere) {
    EXPECT_EQ(negotiate_api_version("1.50", "1.24"), kNewestKnownApiVersion);
    EXPECT_EQ(negotiate_api_version("2.3", ""), kNewestKnownApiVersion);
}

TEST(ApiVersion, NeverBelowTheEnginesMinimum) {
    EXPECT_EQ(negotiate_api_version("1.60", "1.52"), "1.52");
}

TEST(ApiVersion, MinorVersionsCompareAsNumbers) {
    EXPECT_EQ(negotiate_api_version("1.9", "1.2"), "1.9");
    EXPECT_EQ(negotiate_api_version("1.100", "1.24"), kNewestKnownApiVersion);
}

TEST(ApiVersion, AMalformedVersionIsAnEnvironmentError) {
    try {
        negotiate_api_version("latest", "");
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Environment);
        EXPECT_NE(std::string(error.what()).find("latest"), std::string::npos);
    }
}

TEST(DockerHost, UnixTcpAndTheDefault) {
    unsetenv("DOCKER_HOST");
    EXPECT_EQ(engine_address_from_environment().unix_socket, "/var/run/docker.sock");
    setenv("DOCKER_HOST", "unix:///run/user/1000/docker.sock", 1);
    EXPECT_EQ(engine_address_from_environment().unix_socket, "/run/user/1000/docker.sock");
    setenv("DOCKER_HOST", "tcp://127.0.0.1:2375/", 1);
    auto tcp = engine_address_from_environment();
    EXPECT_TRUE(tcp.unix_socket.empty());
    EXPECT_EQ(tcp.base_url, "http://127.0.0.1:2375");
    setenv("DOCKER_HOST", "npipe:////./pipe/docker_engine", 1);
    EXPECT_THROW(engine_address_from_environment(), Error);
    unsetenv("DOCKER_HOST");
}

std::string frame(char stream, const std::string& data) {
    std::string header = {stream, 0, 0, 0};
    for (int shift : {24, 16, 8, 0}) header += static_cast<char>((data.size() >> shift) & 0xff);
    return header + data;
}

TEST(LogStream, FramesAreSplitByStreamAndKeptInOrder) {
    auto split =
        split_log_stream(frame(1, "out one\n") + frame(2, "err\n") + frame(1, "out two\n"));
    EXPECT_EQ(split.out, "out one\nout two\n");
    EXPECT_EQ(split.err, "err\n");
    EXPECT_EQ(split.both, "out one\nerr\nout two\n");
}

TEST(LogStream, UnframedTextIsStdout) {
    EXPECT_EQ(split_log_stream("plain text\n").out, "plain text\n");
}

TEST(Templates, PlaceholdersAreReplacedAndJsonBracesKept) {
    TemplateValues values = {{"ip", "10.89.0.14"}, {"member_id", "42"}};
    EXPECT_EQ(render_template(R"({"peerURLs":["http://{ip}:2380"]})", values),
              R"({"peerURLs":["http://10.89.0.14:2380"]})");
    EXPECT_EQ(render_template(R"({"ID":"{member_id}"})", values), R"({"ID":"42"})");
    EXPECT_THROW(render_template("{nope}", values), Error);
}

TEST(Sizes, BytesAndBinaryUnits) {
    EXPECT_EQ(parse_size("1048576", "--memory"), 1048576);
    EXPECT_EQ(parse_size("512m", "--memory"), 512LL << 20);
    EXPECT_EQ(parse_size("1.5G", "--memory"), 3LL << 29);
    EXPECT_EQ(parse_size("64KiB", "--memory"), 64LL << 10);
    for (const char* bad : {"", "lots", "-1m", "0", "1x"}) {
        EXPECT_THROW(parse_size(bad, "--memory"), Error) << bad;
    }
}

}  // namespace
}  // namespace atomixtest::docker
