@echo off
rem Caravan launcher for Windows. JAVA_HOME, JAVA_OPTS and CARAVAN_OPTS as for bin/caravan.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
if not defined JAVA_OPTS set "JAVA_OPTS=-Xmx512m -XX:+ExitOnOutOfMemoryError"
"%JAVA%" %JAVA_OPTS% %CARAVAN_OPTS% "-Dcaravan.home=%APP_HOME%" "-Dlogback.configurationFile=%APP_HOME%\config\logback.xml" -cp "%APP_HOME%\lib\*" io.caravan.server.cli.Caravan %*
exit /b %ERRORLEVEL%
