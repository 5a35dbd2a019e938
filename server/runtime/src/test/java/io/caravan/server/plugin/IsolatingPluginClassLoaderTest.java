package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.api.stage.StageProvider;
import io.caravan.testkit.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin classes come from the plugin first, except the packages it shares with the server. */
class IsolatingPluginClassLoaderTest {
    @TempDir
    Path tmp;

    private PluginHost host;
    private ClassLoader loader;

    /**
     * A plugin that bundles its own copy of a Camel class and of a class the server does not share
     * (as a shaded dependency would), next to its stage.
     */
    @BeforeEach
    void setUp() throws Exception {
        Path jar = PluginJarBuilder.plugin("bundler", "1.0.0")
                .source("com.example.bundler.TagStage",
                        PluginJarBuilder.taggingStage("com.example.bundler", "TagStage", "bundled", "k", "v"))
                .source("org.apache.camel.util.ObjectHelper", """
                        package org.apache.camel.util;

                        public final class ObjectHelper {
                        }
                        """)
                .source("com.fasterxml.jackson.databind.ObjectMapper", """
                        package com.fasterxml.jackson.databind;

                        public class ObjectMapper {
                        }
                        """)
                .build(Files.createDirectories(tmp.resolve("plugins")).resolve("bundler.jar"));
        host = new PluginHost(tmp.resolve("staging"), "0.1.0");
        loader = host.load(jar).classLoader();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    @Test
    void sharedPackagesComeFromTheServerEvenWhenThePluginBundlesThem() throws Exception {
        assertThat(loader.loadClass("org.apache.camel.util.ObjectHelper")).isSameAs(ObjectHelper.class);
        assertThat(loader.loadClass("io.caravan.api.stage.StageProvider")).isSameAs(StageProvider.class);
    }

    @Test
    void everythingElseComesFromThePluginFirst() throws Exception {
        assertThat(loader.loadClass("com.example.bundler.TagStage").getClassLoader()).isSameAs(loader);
        Class<?> bundled = loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper");
        assertThat(bundled).isNotSameAs(ObjectMapper.class);
        assertThat(bundled.getClassLoader()).isSameAs(loader);
        assertThat(loader.toString()).startsWith("IsolatingPluginClassLoader[").contains("bundler-");
    }

    @Test
    void theSharedListIsMatchedByPackagePrefix() {
        assertThat(IsolatingPluginClassLoader.sharedWithServer("io.caravan.api.flow.FlowBatch")).isTrue();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("org.apache.camel.Exchange")).isTrue();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("org.slf4j.Logger")).isTrue();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("io.micrometer.core.instrument.Counter")).isTrue();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("io.caravan.apix.Thing")).isFalse();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("io.caravan.server.CaravanRuntime")).isFalse();
        assertThat(IsolatingPluginClassLoader.sharedWithServer("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
    }
}
