from ttwell.cli import main

main()
