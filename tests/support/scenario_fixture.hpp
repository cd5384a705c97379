// The scenario loader with the catalog of the build's real plugins and
// profiles, made once per suite: what the loader's tests parse against.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "scenario/scenario.hpp"
#include "session/verb_catalog.hpp"
#include "session/workspace.hpp"

namespace atomixtest::testing {

class ScenarioFixture : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        setenv("ATOMIX_TEST_PROFILE_PATH", profile_dir().c_str(), 1);
        workspace_ = new Workspace({plugin_dir()});
        catalog_ = new VerbCatalog(build_verb_catalog(*workspace_));
        std::ifstream in(source_dir() / "schemas/scenario.schema.json");
        schema_ = new nlohmann::json(nlohmann::json::parse(in));
    }

    static Scenario parse(const std::string& text) {
        return parse_scenario(text, "s.yaml", *catalog_, *schema_);
    }

    // The loader's complete message for a text that must be refused.
    static std::string error_for(const std::string& text) {
        try {
            parse(text);
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::BadInput) << error.what();
            EXPECT_EQ(exit_code_for(error.kind()), 2);
            return error.what();
        }
        ADD_FAILURE() << "accepted:\n" << text.substr(0, 400);
        return "";
    }

    static inline Workspace* workspace_ = nullptr;
    static inline VerbCatalog* catalog_ = nullptr;
    static inline nlohmann::json* schema_ = nullptr;
};

}  // namespace atomixtest::testing
